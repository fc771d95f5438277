# SPDX-License-Identifier: MIT
# tensorio.py - .npy and safetensors files written byte by byte with the
# Python standard library (struct, json), for the pref-ches tests: every
# dtype pref-ches reads, and broken files of every kind it must refuse;
# and run_ches(), the run of pref-ches the tests share.
import json
import struct
import subprocess

FMT = {"<f2": "e", "<f4": "f", "<f8": "d", "<i4": "i", "<i8": "q"}
ST = {"F16": "e", "F32": "f", "F64": "d", "I32": "i", "I64": "q"}


def bf16(x):
    """The bfloat16 bits of x: float32 bits rounded to nearest even."""
    u = struct.unpack("<I", struct.pack("<f", x))[0]
    return (u + 0x7FFF + ((u >> 16) & 1)) >> 16


def values(rows, fmt):
    flat = [x for r in rows for x in (r if isinstance(r, list) else [r])]
    if fmt == "bf16":
        return b"".join(struct.pack("<H", bf16(x)) for x in flat)
    return struct.pack("<%d%s" % (len(flat), fmt), *flat)


def npy_bytes(rows, descr="<f8", fortran=False, version=1, shape=None,
              pad_to=64, magic=b"\x93NUMPY"):
    if shape is None:
        shape = (len(rows), len(rows[0])) if rows and isinstance(rows[0], list) \
            else (len(rows),)
    shape_s = "(%s)" % (", ".join(map(str, shape)) + ("," if len(shape) == 1 else ""))
    h = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False", shape_s)
    lenfmt, pre = ("<H", 10) if version == 1 else ("<I", 12)
    total = pre + len(h) + 1
    h += " " * ((-total) % pad_to) + "\n"
    data = values(rows, FMT.get(descr.replace(">", "<"), "d")) if rows else b""
    if descr.startswith(">"):
        data = b""  # content does not matter: refused before it is read
    return magic + bytes([version, 0]) + struct.pack(lenfmt, len(h)) + \
        h.encode() + data


def write_npy(path, rows, **kw):
    with open(path, "wb") as f:
        f.write(npy_bytes(rows, **kw))


def safetensors_bytes(tensors):
    """tensors: name -> (dtype, rows); rows a list of lists or numbers."""
    header, blobs, off = {}, [], 0
    for name, (dtype, rows) in tensors.items():
        shape = [len(rows), len(rows[0])] if isinstance(rows[0], list) else [len(rows)]
        blob = values(rows, "bf16" if dtype == "BF16" else ST[dtype])
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [off, off + len(blob)]}
        blobs.append(blob)
        off += len(blob)
    h = json.dumps(header).encode()
    h += b" " * ((-len(h)) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(blobs)


def write_safetensors(path, tensors):
    with open(path, "wb") as f:
        f.write(safetensors_bytes(tensors))


def run_ches(args, recs):
    """pref-ches ARGS on the records: [(ches, ln_ches or None)], or []
    with a line saying why when it fails."""
    inp = "".join(json.dumps(r) + "\n" for r in recs)
    p = subprocess.run(["pref-ches"] + args, input=inp, capture_output=True, text=True)
    if p.returncode:
        print("pref-ches", " ".join(args), "failed:", p.stderr.strip())
        return []
    return [(o["ches"], o.get("ln_ches")) for o in map(json.loads, p.stdout.splitlines())]
