#!/usr/bin/env bash
# Renders report.html in headless Chromium in a WIDTH px wide window and prints how far right the
# page reaches: its scroll width and the right edge of its widest element, leaving out what lies
# inside a sideways-scrolling box (.scroll clips it; the box itself counts). Exits 1 when that
# exceeds WIDTH, 2 when Chromium gives no measurement.
# Headless Chromium lays `--dump-dom` pages out at least 500 px wide, so the report goes into an
# iframe of exactly WIDTH px (its own viewport, for media queries too), as srcdoc so that the
# measuring script may write into the outer page. The report stays script-free: the script goes
# into that copy only.
# Usage: widest.sh REPORT_HTML WIDTH
set -euo pipefail
report=$1 width=$2
page=$(mktemp --suffix=.html)
trap 'rm -f "$page"' EXIT
script='<script>
addEventListener("load", () => {
  let right = 0, what = "nothing";
  for (const el of document.body.querySelectorAll("*")) {
    if (el.parentElement && el.parentElement.closest(".scroll")) continue;
    const r = el.getBoundingClientRect();
    if (r.right > right) { right = r.right; what = el.tagName.toLowerCase() + (typeof el.className === "string" && el.className ? "." + el.className : ""); }
  }
  const page = document.documentElement.scrollWidth, element = Math.ceil(right);
  if (page > element) { right = page; what = "the-page-itself"; }
  const out = parent.document.createElement("pre");
  out.textContent = "widest " + Math.ceil(right) + " " + what + " " + innerWidth + " " + element;
  parent.document.body.appendChild(out);
});
</script>'
{
  printf '<!DOCTYPE html><html><body style="margin:0"><iframe style="border:0;width:%spx;height:2000px" srcdoc="' "$width"
  { sed 's|</body></html>||' "$report"; printf '%s\n' "$script" '</body></html>'; } | sed 's/&/\&amp;/g; s/"/\&quot;/g'
  printf '"></iframe></body></html>\n'
} >"$page"
# Chromium complains about D-Bus on a headless machine: harmless, so its stderr is dropped.
line=$(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2000 \
    --virtual-time-budget=10000 --dump-dom "file://$page" 2>/dev/null | grep -o 'widest [0-9]* [^<]*' || true)
[ -n "$line" ] || { echo "widest.sh: Chromium gave no measurement for $report" >&2; exit 2; }
set -- $line
echo "$report in a $4 px window: the page reaches $2 px ($3), its widest element $5 px"
[ "$4" = "$width" ] || { echo "widest.sh: the window is $4 px, not $width" >&2; exit 2; }
[ "$2" -le "$width" ]
