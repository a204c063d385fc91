"""Repack Debian bookworm python3-* packages into wheels and write a PEP 503 "simple" index.

Called by e2e/pypi-standin.sh, which downloads the .debs; this file only reads them. Standard library
only, so any host Python 3 runs it.

  pypi-standin.py wheel OUT_DIR MAP DIST DEB...   one wheel of distribution DIST from its .debs; MAP is the
                                                package list (pypi-standin.packages): which wheel a
                                                Debian package went into
  pypi-standin.py plugin OUT_DIR SOURCE         the poetry plugin SOURCE as a wheel (ADDED says why)
  pypi-standin.py index ROOT                  ROOT/simple/** for the wheels in ROOT/files
  pypi-standin.py requires WHEEL...           the distributions they require unconditionally, one a line

Why each step is there (BASE-IMAGES.md says it for users):
* dh_python3 moves a distribution's plain requirements into the package's Depends and deletes them
  from the egg-info's requires.txt (Flask's keeps only its extras), so a wheel made of the metadata
  alone would install Flask without Werkzeug. The Depends are mapped back to Requires-Dist, with
  Debian's lower bounds; what requires.txt still names (extras, markers) is kept as written.
* An .so built for Debian's Python 3.11 cannot load in 3.12: it is dropped when the package has a pure
  fallback that its own code chooses (listed in PURE_FALLBACK), and the wheel fails to build otherwise.
* Debian replaces bundled files with symlinks into other packages (Werkzeug's debugger jquery.js ->
  libjs-jquery); they are dereferenced from the .debs given, and a link that stays dangling fails.
* Debian's virtualenv seeds environments from /usr/share/python-wheels; its wheel gets those seed
  wheels back in its embed folder, where upstream's has them (RESTORED).
* Wheels are byte-for-byte reproducible (sorted entries, fixed timestamps), so a rebuild of the same
  .debs gives the same sha256 in the index, and pip's caches stay valid.
"""
import base64
import csv
import hashlib
import html
import io
import os
import re
import stat
import subprocess
import sys
import tempfile
import zipfile

SITE = "usr/lib/python3/dist-packages"
# Compiled modules that may be dropped, with the pure module the package falls back to.
PURE_FALLBACK = {"markupsafe/_speedups": "markupsafe/_native.py",
                 # poetry's requirements: each imports its C module in a try and uses the pure code below.
                 "dulwich/_objects": "dulwich/objects.py", "dulwich/_pack": "dulwich/pack.py",
                 "dulwich/_diff_tree": "dulwich/diff_tree.py", "msgpack/_cmsgpack": "msgpack/fallback.py",
                 "pvectorc": "pyrsistent/_pvector.py", "charset_normalizer/md": "charset_normalizer/md.py"}
# Requirements left out of a wheel, because bookworm cannot give them as pure wheels: poetry 1.3's
# metadata requires poetry-plugin-export, which bookworm does not package (Debian's poetry has no
# `poetry export`); keyring requires SecretStorage and jeepney on Linux, which need cryptography's
# compiled code (keyring then uses no Secret Service backend, as on a machine without one).
DROPPED = {"poetry": {"poetry-plugin-export"}, "keyring": {"secretstorage", "jeepney"}}
# Requirements rewritten, where upstream's range leaves out the version bookworm ships with the package
# (Debian tests its packages together: its poetry 1.3.2 runs on dulwich 0.21.2).
RELAXED = {"poetry": {"dulwich": "dulwich>=0.20.46"}}
# Requirements added to a wheel: poetry calls pypi.org itself, with no mirror setting, so the stand-in's
# poetry brings the plugin that points it at the stand-in (pypi-standin-poetry-plugin.py).
ADDED = {"poetry": ["stageopt-standin-poetry-mirror"]}
# python3-* packages that are parts of CPython's standard library in Debian, not PyPI distributions.
NOT_DISTRIBUTIONS = {"python3", "python3-distutils", "python3-lib2to3", "python3-venv", "python3-tk",
                     "python3-gdbm", "python3-minimal", "python3-dev"}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Files Debian moves out of a distribution, put back where upstream's wheel has them: Debian's
# virtualenv seeds new environments from /usr/share/python-wheels (the python3-*-whl packages),
# upstream's from the wheels inside its own embed folder. Debian's code lists every file of that
# folder as a wheel, so they go to a folder of their own inside it. {dist: (folder in the .debs,
# folder in the wheel, [(file, Debian's text, the wheel's)])}
RESTORED = {"virtualenv": ("usr/share/python-wheels", "virtualenv/seed/wheels/embed/wheels",
                           [("virtualenv/seed/wheels/embed/__init__.py", "Path('/usr/share/python-wheels')",
                             "Path(__file__).absolute().parent / 'wheels'")])}


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def upstream_version(debian_version):
    v = debian_version.split(":", 1)[-1].rsplit("-", 1)[0]
    return re.split(r"[+~]", v, 1)[0]


def deb_field(deb, field):
    return subprocess.run(["dpkg-deb", "-f", deb, field], check=True, capture_output=True, text=True).stdout.strip()


def parse_depends(text):
    """[[(name, op, version), ...alternatives], ...] from a Depends field."""
    groups = []
    for group in filter(None, (g.strip() for g in text.split(","))):
        alts = []
        for alt in group.split("|"):
            m = re.match(r"\s*([a-z0-9][a-z0-9+.-]*)(?::any)?\s*(?:\(\s*([<>=]+)\s*([^)\s]+)\s*\))?", alt)
            if m:
                alts.append(m.groups())
        groups.append(alts)
    return groups


def python_depends(debs):
    """The python3-* distributions the packages need on Python 3.12: a group with a "python3 (>> 3.10)"
    alternative is what Debian writes for a backport the newer interpreter does not need."""
    out = []
    for deb in debs:
        for alts in parse_depends(deb_field(deb, "Depends")):
            if any(n == "python3" and op in (">>", ">=") for n, op, _ in alts):
                continue
            for name, op, ver in alts:
                # python3-*-whl are wheels Debian's virtualenv seeds from /usr/share/python-wheels.
                if name.startswith("python3-") and name not in NOT_DISTRIBUTIONS and not name.endswith("-whl"):
                    out.append((name, op, ver))
                    break
    return out


def read_requires_txt(text):
    """requires.txt (egg-info) -> Requires-Dist values, markers folded in as pip reads them."""
    reqs, section = [], ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        extra, _, marker = section.partition(":")
        conds = []
        if extra:
            conds.append(f'extra == "{extra}"')
        if marker:
            conds.append(f"({marker})" if extra else marker)
        reqs.append(line + ("; " + " and ".join(conds) if conds else ""))
    return reqs


def req_name(req):
    return normalize(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req).group(1))


def split_headers(metadata):
    head, sep, body = metadata.partition("\n\n")
    return head.rstrip("\n").split("\n"), sep, body


def read_map(path):
    """{debian package: distribution} from the package list's `dist deb...` lines; any other
    python3-X is taken to be distribution X."""
    out = {}
    with open(path) as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            for deb in words[1:]:
                out[deb] = normalize(words[0])
    return out


def make_wheel(out_dir, dist_map, dist, debs):
    with tempfile.TemporaryDirectory() as root:
        for deb in debs:
            subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
        site = os.path.join(root, SITE)
        metas = [d for d in os.listdir(site) if d.endswith((".egg-info", ".dist-info"))
                 and normalize(re.sub(r"-[^-]*\.(egg|dist)-info$", "", d)) == normalize(dist)]
        if len(metas) != 1:
            sys.exit(f"pypi-standin: {dist}: expected one egg-info/dist-info in {debs}, found {metas}")
        meta_dir = os.path.join(site, metas[0])
        # An old-style egg-info is one file, the PKG-INFO itself (pexpect's), with no requires.txt.
        meta_file = (meta_dir if not os.path.isdir(meta_dir)
                     else os.path.join(meta_dir, "PKG-INFO" if metas[0].endswith(".egg-info") else "METADATA"))
        with open(meta_file) as f:
            metadata = f.read()
        headers, sep, body = split_headers(metadata)
        field = lambda k: next((h.split(":", 1)[1].strip() for h in headers if h.startswith(k + ":")), None)
        name, version = field("Name"), field("Version")
        requires = [h.split(":", 1)[1].strip() for h in headers if h.startswith("Requires-Dist:")]
        extras = {h.split(":", 1)[1].strip() for h in headers if h.startswith("Provides-Extra:")}
        if metas[0].endswith(".egg-info"):
            req_file = os.path.join(meta_dir, "requires.txt")
            if os.path.exists(req_file):
                with open(req_file) as f:
                    for req in read_requires_txt(f.read()):
                        requires.append(req)
                        m = re.search(r'extra == "([^"]+)"', req)
                        if m:
                            extras.add(m.group(1))
        # The Depends dh_python3 took out of requires.txt, back as Requires-Dist (see the header).
        named = {req_name(r) for r in requires}
        for deb_name, op, ver in python_depends(debs):
            dist_name = dist_map.get(deb_name) or normalize(deb_name[len("python3-"):])
            if dist_name in named or dist_name == normalize(name):
                continue
            named.add(dist_name)
            bound = f">={upstream_version(ver)}" if op in (">=", "=", ">>") and ver else ""
            requires.append(f"{dist_name}{bound}")
        dropped = DROPPED.get(normalize(dist), set())
        relaxed = RELAXED.get(normalize(dist), {})
        requires = [relaxed.get(req_name(r), r) for r in requires if req_name(r) not in dropped]
        requires += ADDED.get(normalize(dist), [])
        headers = [h for h in headers if not h.startswith(("Requires-Dist:", "Provides-Extra:"))]
        headers += [f"Provides-Extra: {e}" for e in sorted(extras)] + [f"Requires-Dist: {r}" for r in requires]
        metadata = "\n".join(headers) + "\n" + (sep[1:] + body if sep else "")

        files = {}
        for dirpath, dirnames, filenames in os.walk(site):
            dirnames.sort()
            rel_dir = os.path.relpath(dirpath, site)
            top = rel_dir.split(os.sep)[0]
            if top.endswith((".egg-info", ".dist-info")) or top == "__pycache__" or "/__pycache__" in "/" + rel_dir:
                continue
            for fn in filenames:
                if rel_dir == "." and fn.endswith(".egg-info"):
                    continue
                rel = os.path.normpath(os.path.join(rel_dir, fn))
                path = os.path.join(dirpath, fn)
                if rel.endswith((".pyc", ".pyo")):
                    continue
                if rel.endswith(".so"):
                    stem = rel.split(".", 1)[0]
                    fallback = PURE_FALLBACK.get(stem)
                    if not fallback or not os.path.exists(os.path.join(site, fallback)):
                        sys.exit(f"pypi-standin: {dist}: {rel} is compiled for Debian's Python and has no known pure fallback")
                    continue
                if os.path.islink(path):
                    target = os.readlink(path)
                    real = os.path.normpath(os.path.join(root, target.lstrip("/")) if target.startswith("/")
                                            else os.path.join(dirpath, target))
                    if not os.path.isfile(real):
                        sys.exit(f"pypi-standin: {dist}: {rel} links to {target}, which none of {debs} has")
                    path = real
                with open(path, "rb") as f:
                    data = f.read()
                files[rel] = (data, 0o755 if os.stat(path).st_mode & stat.S_IXUSR else 0o644)

        if normalize(dist) in RESTORED:
            src, dest, edits = RESTORED[normalize(dist)]
            src_dir = os.path.join(root, src)
            if not os.path.isdir(src_dir):
                sys.exit(f"pypi-standin: {dist}: none of {debs} has /{src}")
            for fn in sorted(os.listdir(src_dir)):
                with open(os.path.join(src_dir, fn), "rb") as f:
                    files[f"{dest}/{fn}"] = (f.read(), 0o644)
            for rel, before, after in edits:
                text = files[rel][0].decode()
                if before not in text:
                    sys.exit(f"pypi-standin: {dist}: {rel} no longer says {before}")
                files[rel] = (text.replace(before, after).encode(), files[rel][1])

        info = dist_info(name, version)
        # Debian's build can name its own debian/ folder as a top-level package (gunicorn's does): only
        # what the wheel has stays listed.
        tops = {rel.split("/")[0].removesuffix(".py") for rel in files}
        p = os.path.join(meta_dir, "top_level.txt")
        if os.path.isfile(p):
            with open(p) as f:
                listed = [t for t in f.read().split() if t in tops]
            files[f"{info}/top_level.txt"] = ("".join(t + "\n" for t in listed).encode(), 0o644)
        for extra in ("entry_points.txt", "LICENSE", "LICENSE.txt", "LICENSE.rst"):
            p = os.path.join(meta_dir, extra)
            if os.path.isfile(p):
                with open(p, "rb") as f:
                    files[f"{info}/{extra}"] = (f.read(), 0o644)
        write_wheel(out_dir, name, version, metadata, files)


def dist_info(name, version):
    return f"{re.sub(r'[-_.]+', '_', name).lower()}-{version}.dist-info"


def write_wheel(out_dir, name, version, metadata, files):
    """OUT_DIR/NAME-VERSION-py3-none-any.whl of FILES ({path: (bytes, mode)}, dist-info extras among
    them) with METADATA, WHEEL and RECORD."""
    info = dist_info(name, version)
    wheel_dist = info.removesuffix(f"-{version}.dist-info")
    files = dict(files)
    files[f"{info}/METADATA"] = (metadata.encode(), 0o644)
    files[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: stageopt-pypi-standin\n"
                              b"Root-Is-Purelib: true\nTag: py3-none-any\n", 0o644)
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for rel in sorted(files):
        data = files[rel][0]
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        writer.writerow([rel, f"sha256={digest}", len(data)])
    writer.writerow([f"{info}/RECORD", "", ""])
    files[f"{info}/RECORD"] = (record.getvalue().encode(), 0o644)

    wheel = os.path.join(out_dir, f"{wheel_dist}-{version}-py3-none-any.whl")
    # Package files first, the dist-info last (RECORD at the very end), as wheel builders write them.
    order = sorted((r for r in files if not r.startswith(info + "/")))
    order += [f"{info}/{n}" for n in sorted(os.path.basename(r) for r in files if r.startswith(info + "/") and not r.endswith("/RECORD"))]
    order.append(f"{info}/RECORD")
    with zipfile.ZipFile(wheel + ".tmp", "w", zipfile.ZIP_DEFLATED) as z:
        for rel in order:
            zi = zipfile.ZipInfo(rel, ZIP_TIME)
            zi.external_attr = (stat.S_IFREG | files[rel][1]) << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, files[rel][0])
    os.replace(wheel + ".tmp", wheel)
    print(os.path.basename(wheel))


def make_plugin_wheel(out_dir, source):
    """The poetry plugin (pypi-standin-poetry-plugin.py) as the distribution its module docstring names."""
    name, version, module = "stageopt-standin-poetry-mirror", "1.0", "stageopt_standin_poetry_mirror"
    with open(source, "rb") as f:
        code = f.read()
    metadata = (f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                "Summary: Points poetry's PyPI repository at the stageopt e2e tier's PyPI stand-in\n"
                # As poetry's own plugins do; pip resolves the cycle with poetry's ADDED requirement.
                "Requires-Python: >=3.7\nRequires-Dist: poetry>=1.2\n")
    info = dist_info(name, version)
    write_wheel(out_dir, name, version, metadata, {
        f"{module}.py": (code, 0o644),
        f"{info}/entry_points.txt": (f"[poetry.plugin]\nstageopt-standin-mirror = {module}:StandInMirror\n".encode(), 0o644),
        f"{info}/top_level.txt": (f"{module}\n".encode(), 0o644),
    })


def write_index(root):
    """ROOT/simple/index.html and ROOT/simple/<name>/index.html for every wheel in ROOT/files, with
    the sha256 fragment and data-requires-python pip reads (PEP 503)."""
    by_name = {}
    for whl in sorted(os.listdir(os.path.join(root, "files"))):
        if not whl.endswith(".whl"):
            continue
        path = os.path.join(root, "files", whl)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        with zipfile.ZipFile(path) as z:
            meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
            headers = split_headers(z.read(meta).decode())[0]
        name = next(h.split(":", 1)[1].strip() for h in headers if h.startswith("Name:"))
        rp = next((h.split(":", 1)[1].strip() for h in headers if h.startswith("Requires-Python:")), None)
        by_name.setdefault(normalize(name), []).append((whl, digest, rp))
    simple = os.path.join(root, "simple")
    os.makedirs(simple, exist_ok=True)
    page = lambda title, links: ("<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" content=\"1.0\">"
                                 f"<title>{title}</title></head><body>\n" + "".join(links) + "</body></html>\n")
    for name, wheels in by_name.items():
        os.makedirs(os.path.join(simple, name), exist_ok=True)
        links = [f'<a href="../../files/{w}#sha256={d}"' + (f' data-requires-python="{html.escape(rp)}"' if rp else "")
                 + f">{w}</a><br>\n" for w, d, rp in wheels]
        with open(os.path.join(simple, name, "index.html"), "w") as f:
            f.write(page(f"Links for {name}", links))
    with open(os.path.join(simple, "index.html"), "w") as f:
        f.write(page("Simple index", [f'<a href="{n}/">{n}</a><br>\n' for n in sorted(by_name)]))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "wheel":
        make_wheel(args[0], read_map(args[1]), args[2], args[3:])
    elif cmd == "plugin":
        make_plugin_wheel(args[0], args[1])
    elif cmd == "index":
        write_index(args[0])
    elif cmd == "requires":
        for whl in args:
            with zipfile.ZipFile(whl) as z:
                meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
                for h in split_headers(z.read(meta).decode())[0]:
                    if h.startswith("Requires-Dist:") and ";" not in h:
                        print(req_name(h.split(":", 1)[1]))
    else:
        sys.exit(f"pypi-standin.py: unknown command {cmd}")
