#!/usr/bin/env bash
# Installs everything the project needs on a Debian machine: system tools, then a virtualenv with the package.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-osd
  libtesseract-dev libleptonica-dev pkg-config
  poppler-utils libreoffice-writer-nogui fonts-noto-cjk fonts-wqy-zenhei
  chromium chromium-driver
  pandoc  # tests: Markdown as pandoc writes it (tests/test_metamorphic.py)
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[dev]'
echo "setup: done ($(.venv/bin/python --version), $(tesseract --version 2>&1 | head -1))"
