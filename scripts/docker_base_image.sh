#!/usr/bin/env bash
# The Dockerfile's base image (its first FROM, python:3.11-slim) for machines that
# reach no container registry, only Debian's and PyPI: a Debian bookworm made here
# with debootstrap (Python 3.11 with venv, and what the Dockerfile's RUN steps use:
# apt-get, useradd), tagged with the base image's name. The Dockerfile itself stays
# as it is, and a machine that can pull the real image (`docker pull python:3.11-slim`)
# never gets here: an image of that name that is not our stand-in is left alone.
#
# This machine reaches the registries through a TLS-inspecting proxy, whose authority
# is in the machine's bundle (/etc/ssl/certs/ca-certificates.crt, or UMP_CA_BUNDLE).
# The bundle is copied into the stand-in's system store, where Debian's pip, apt and
# Python's ssl look, so the build's `pip install` reaches PyPI; the project's image
# only inherits it from the stand-in, the Dockerfile never names it.
#
# debootstrap takes minutes, so its result is kept as a tarball in $UMP_CACHE_DIR
# (default ~/.cache/ump-portal), named after a hash of the recipe (the packages, the
# mirror and RECIPE_VERSION, raised by hand when the steps below change): a later run
# imports it in seconds, and a changed recipe makes a new one. The stand-in
# carries a label with the recipe's and the bundle's hashes; while both match, the
# image already in the engine is used as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

base_image="$(awk 'toupper($1) == "FROM" { print $2; exit }' Dockerfile)"
ca_bundle="${UMP_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
cache_dir="${UMP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ump-portal}"
# Everything the Dockerfile's RUN steps and the entrypoint call, beyond Debian's
# required packages (apt, coreutils, mawk, ...).
packages="python3,python3-venv,python-is-python3,ca-certificates,passwd"
RECIPE_VERSION=1

recipe="$(printf '%s\n' "$packages" "$mirror" "$RECIPE_VERSION" | sha256sum | cut -c1-12)"
bundle="$(sha256sum "$ca_bundle" | cut -c1-12)"
label="org.ump-portal.stand-in"
rootfs_image="ump-portal/bookworm-python3:$recipe"
rootfs_tar="$cache_dir/bookworm-python3-$recipe.tar.gz"
work=""
context=""
trap 'rm -rf "$work" "$context"' EXIT

if docker image inspect "$base_image" >/dev/null 2>&1; then
    current="$(docker image inspect --format "{{ index .Config.Labels \"$label\" }}" "$base_image")"
    if [ -z "$current" ]; then
        echo "$base_image is a real image (not our stand-in): using it."
        exit 0
    fi
    if [ "$current" = "$recipe-$bundle" ]; then
        echo "$base_image: the stand-in made from Debian's packages is up to date."
        exit 0
    fi
fi

if ! docker image inspect "$rootfs_image" >/dev/null 2>&1; then
    if [ ! -s "$rootfs_tar" ]; then
        command -v debootstrap >/dev/null || {
            if [ "$(id -u)" = 0 ]; then
                apt-get update -qq
                DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                    debootstrap >/dev/null
            else
                echo "Making the base image needs Debian's debootstrap: sudo apt-get install debootstrap" >&2
                exit 1
            fi
        }
        [ "$(id -u)" = 0 ] || { echo "debootstrap needs root." >&2; exit 1; }
        work="$(mktemp -d)"
        echo "Making Debian bookworm with $packages (debootstrap, a few minutes)."
        started=$(date +%s)
        debootstrap --variant=minbase --include="$packages" bookworm "$work/rootfs" "$mirror" \
            >"$work/debootstrap.log" 2>&1 || {
            tail -n 30 "$work/debootstrap.log" >&2
            exit 1
        }
        cat >"$work/rootfs/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security} bookworm-security main
EOF
        # What an image does not need: downloaded packages, package lists, manuals.
        rm -rf "$work"/rootfs/var/cache/apt/* "$work"/rootfs/var/lib/apt/lists/* \
            "$work"/rootfs/usr/share/man/* "$work"/rootfs/usr/share/info/*
        mkdir -p "$cache_dir"
        tar --numeric-owner -C "$work/rootfs" -czf "$rootfs_tar.partial" .
        mv "$rootfs_tar.partial" "$rootfs_tar"
        echo "Debian made in $(($(date +%s) - started)) s, kept in $rootfs_tar."
    fi
    docker import "$rootfs_tar" "$rootfs_image" >/dev/null
fi

context="$(mktemp -d)"
cp "$ca_bundle" "$context/ca-certificates.crt"
# The real python:3.11-slim sets LANG and starts python3; so does the stand-in.
DOCKER_BUILDKIT=0 docker build --quiet --tag "$base_image" --file - "$context" >/dev/null <<EOF
FROM $rootfs_image
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV LANG=C.UTF-8
LABEL $label=$recipe-$bundle
CMD ["python3"]
EOF
echo "$base_image: stand-in made from Debian bookworm's packages ($rootfs_image, CA bundle $bundle)."
