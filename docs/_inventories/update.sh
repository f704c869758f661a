#!/usr/bin/env bash
# Refresh the Sphinx inventories (objects.inv) that docs/conf.py hands to intersphinx.
#
# Why: the docs build must work with no network but the package registries, so
# intersphinx cannot download inventories from the projects' web sites. Debian
# ships each project's built HTML docs, objects.inv included; this script takes
# only that file out of each package (nothing is installed) and records the
# package version, which docs/conf.py uses to link to the matching online docs.
#
# Needs apt-get and dpkg-deb (Debian or Ubuntu); run `apt-get update` first on a
# fresh machine. numpy has no doc package in Debian 12: numpy.inv is written by
# make_numpy_inv.py beside this script instead.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# name  debian-package  path-inside-the-package
packages=(
  "python python3.11-doc usr/share/doc/python3.11/html/objects.inv"
  "attrs python-attr-doc usr/share/doc/python-attr-doc/html/objects.inv"
  "cattrs python-cattrs-doc usr/share/doc/python-cattrs-doc/html/objects.inv"
  "pint python-pint-doc usr/share/doc/python-pint-doc/html/objects.inv"
  "pandas python-pandas-doc usr/share/doc/python-pandas-doc/html/objects.inv"
)
: >"$work/VERSIONS"
for entry in "${packages[@]}"; do
  read -r name package inner <<<"$entry"
  (cd "$work" && apt-get download -q "$package" >/dev/null)
  deb="$(ls "$work"/"${package}"_*.deb)"
  dpkg-deb --fsys-tarfile "$deb" | tar -xO "./$inner" >"$here/$name.inv"
  echo "$name $package $(dpkg-deb -f "$deb" Version)" >>"$work/VERSIONS"
done
{
  echo "# name debian-package version (written by update.sh; read by docs/conf.py)"
  cat "$work/VERSIONS"
} >"$here/VERSIONS"
cat "$here/VERSIONS"
