#!/usr/bin/env bash
# The delivery PDF's fonts for Chinese, Japanese and Korean names (WenQuanYi Micro Hei, TrueType:
# ReportLab cannot embed Noto CJK's CFF outlines). Latin, Vietnamese and Khmer come committed in
# fonts/. Installs Debian's package when the file is missing and apt-get can run as root;
# otherwise says so and carries on: those names then print as empty boxes.
set -euo pipefail
cjk=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
[ -f "$cjk" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing fonts-wqy-microhei (Chinese, Japanese and Korean names in the delivery PDF)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-wqy-microhei >/dev/null
else
  echo "Note: $cjk is missing; install fonts-wqy-microhei (sudo apt-get install fonts-wqy-microhei)" \
    "so the delivery PDF can print Chinese, Japanese and Korean names." >&2
fi
