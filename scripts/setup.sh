#!/usr/bin/env bash
# Install everything safety-manual and its tests need on a fresh Debian or Ubuntu machine:
# the Debian packages the tests use (LibreOffice to open every Word file, poppler to read
# PDFs back) and a virtual environment in .venv with the package and its test tools.
# The PDF engine (Typst) and its fonts come with the Python package: no system libraries.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  python3-venv
  libreoffice-writer-nogui                               # tests open every .docx with it
  poppler-utils                                          # pdftotext / pdfinfo in tests
  fonts-liberation2 fonts-dejavu-core                    # LibreOffice's fonts for the Word files
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
