#!/usr/bin/env bash
# Install everything safety-manual and its tests need on a fresh Debian or Ubuntu machine:
# the Debian packages (Pango for WeasyPrint, LibreOffice to check Word files, poppler,
# fonts, tmux) and a virtual environment in .venv with the package and its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  python3-venv
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0   # WeasyPrint's text layout
  libreoffice-writer-nogui                               # tests open every .docx with it
  poppler-utils                                          # pdftotext / pdfinfo in tests
  fonts-liberation2 fonts-dejavu-core fonts-noto-cjk     # Latin, accents, CJK
)

missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  [[ "$pkg" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  echo "Installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
echo "Ready: .venv/bin/safety-manual --help"
