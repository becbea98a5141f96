#!/bin/sh
# Print the path of a Python >= 3.12 on this machine, newest first; exit 1 with a clear
# message when there is none. Looks on PATH and in pyenv's versions folder.
set -u
candidates=""
for name in python3.14 python3.13 python3.12 python3 python; do
  p=$(command -v "$name" 2>/dev/null) && candidates="$candidates $p"
done
for root in "${PYENV_ROOT:-$HOME/.pyenv}" /root/.pyenv /usr/local /opt/python; do
  for p in "$root"/versions/3.1[2-9]*/bin/python3 "$root"/bin/python3.1[2-9]; do
    [ -x "$p" ] && candidates="$candidates $p"
  done
done
best=""; best_ver=0
for p in $candidates; do
  ver=$("$p" -c 'import sys; print(sys.version_info[0]*100+sys.version_info[1]) if sys.version_info >= (3, 12) else print(0)' 2>/dev/null) || continue
  if [ "${ver:-0}" -gt "$best_ver" ]; then best=$p; best_ver=$ver; fi
done
if [ -z "$best" ]; then
  echo "Buurtstem needs Python 3.12 or newer, and none was found on PATH or under pyenv." >&2
  echo "Install one (for example 'pyenv install 3.13') and run the command again." >&2
  exit 1
fi
echo "$best"
