#!/usr/bin/env python3
"""Writes a small OCI image layout without a daemon: one image per name
given, each of two layers, the first of them shared by all (as Sentry's
images share their base), for the bundle's live test.

Usage: oci-standin.py [--base-bytes N] DIR NAME...
(the base layer holds N random bytes, 64 KiB of x by default)
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile


def blob(root, data):
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(root, "blobs", "sha256", digest)
    with open(path, "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


def layer(files):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(content))
    # mtime 0: the same content gives the same blob, so the base is shared.
    return raw.getvalue(), gzip.compress(raw.getvalue(), mtime=0)


def image(root, name, base):
    tar, gz = layer({"standin/name": name.encode()})
    top = blob(root, gz)
    diff_ids = [base["diff_id"], "sha256:" + hashlib.sha256(tar).hexdigest()]
    config = blob(root, json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Entrypoint": ["/standin"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    }).encode())
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": dict(config, mediaType="application/vnd.oci.image.config.v1+json"),
        "layers": [dict(l, mediaType="application/vnd.oci.image.layer.v1.tar+gzip")
                   for l in (base["blob"], top)],
    }).encode()
    desc = blob(root, manifest)
    desc["mediaType"] = "application/vnd.oci.image.manifest.v1+json"
    desc["annotations"] = {"org.opencontainers.image.ref.name": name}
    return desc


def main():
    args = sys.argv[1:]
    base_bytes = None
    if args[:1] == ["--base-bytes"]:
        base_bytes, args = int(args[1]), args[2:]
    root, names = args[0], args[1:]
    os.makedirs(os.path.join(root, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(root, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    content = os.urandom(base_bytes) if base_bytes else b"x" * 65536
    tar, gz = layer({"standin/base": content})
    base = {"blob": blob(root, gz),
            "diff_id": "sha256:" + hashlib.sha256(tar).hexdigest()}
    index = {"schemaVersion": 2, "manifests": [image(root, n, base) for n in names]}
    with open(os.path.join(root, "index.json"), "w") as f:
        json.dump(index, f)


if __name__ == "__main__":
    main()
