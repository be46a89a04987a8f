#!/usr/bin/env python3
"""The module-level `use` graph of one crate's source tree: every `use crate::…`, `use super::…`
and inline `crate::…` path becomes an edge to the module that defines the item (re-exports are
followed to the defining file). Prints every import circle and exits 1 if there is one.

usage: modules.py SRC_DIR [MODULE_PREFIX…]   (prefixes are collapsed into one node)
MODGRAPH=-v prints the edges too."""
import os, re, sys
root = sys.argv[1]
group = sys.argv[2:]  # module prefixes collapsed to one node, e.g. app::features::referrals
files = {}
for dp, dn, fn in os.walk(root):
    for f in fn:
        if f.endswith('.rs'):
            p = os.path.join(dp, f)
            parts = os.path.relpath(p, root)[:-3].split('/')
            is_dir_mod = parts[-1] in ('mod', 'lib', 'main')
            if is_dir_mod: parts = parts[:-1]
            files[p] = (tuple(parts), is_dir_mod)
modules = {m for m, _ in files.values()}
defs = {}
for p, (me, _) in files.items():
    text = re.split(r'#\[cfg\(test\)\]\s*mod tests', open(p).read())[0]
    for m in re.finditer(r'^\s*pub(?:\([^)]*\))?\s+(?:async\s+)?(?:struct|enum|fn|trait|type|const|static|mod)\s+(\w+)', text, re.M):
        defs.setdefault(m.group(1), set()).add(me)
    for m in re.finditer(r'^\s*(?:pub\s+)?(?:struct|enum|fn|trait|type|const|static)\s+(\w+)', text, re.M):
        defs.setdefault(m.group(1), set()).add(me)
def resolve(path):
    for n in range(len(path), -1, -1):
        if tuple(path[:n]) in modules:
            r = tuple(path[:n])
            if n < len(path):
                item = path[n]
                homes = defs.get(item, set())
                if r not in homes:
                    under = [h for h in homes if h[:len(r)] == r]
                    if len(under) == 1: return under[0]
            return r
def node(m):
    s = '::'.join(m)
    for g in group:
        if s == g or s.startswith(g + '::'): return g
    return s or 'crate'
edges = {}
for p, (me, is_dir) in files.items():
    src = open(p).read()
    src = re.split(r'#\[cfg\(test\)\]\s*mod tests', src)[0]
    src = re.sub(r'//[^\n]*', '', src)
    # expand `use x::{a, b::c}` one level
    for m in re.finditer(r'\buse\s+([^;]+);', src):
        text = re.sub(r'\s+', '', re.sub(r'\s+as\s+\w+', '', m.group(1)))
        mm = re.match(r'(.*?)::\{(.*)\}$', text)
        paths = [text] if not mm else [mm.group(1) + '::' + x for x in re.split(r',(?![^{]*\})', mm.group(2))]
        for t in paths:
            seg = [s for s in re.split(r'::', t) if s]
            if not seg or seg[0] not in ('crate', 'super', 'self'): continue
            if seg[0] == 'crate': target = seg[1:]
            else:
                cur = list(me)
                if seg[0] == 'self': seg = seg[1:]
                while seg and seg[0] == 'super':
                    cur = cur[:-1]; seg = seg[1:]
                target = cur + seg
            r = resolve([s.split('{')[0] for s in target])
            if r is None: continue
            a, b = node(me), node(r)
            if a != b:
                edges.setdefault(a, set()).add(b)
    # inline paths like crate::x::y( without use
    for m in re.finditer(r'(?<![:\w])crate((?:::\w+)+)', src):
        r = resolve(m.group(1).split('::')[1:])
        if r is None: continue
        a, b = node(me), node(r)
        if a != b:
            edges.setdefault(a, set()).add(b)
# Tarjan
idx, low, on, st, out, i = {}, {}, set(), [], [], [0]
nodes = set(edges) | {b for v in edges.values() for b in v}
def sc(v):
    idx[v] = low[v] = i[0]; i[0] += 1; st.append(v); on.add(v)
    for w in edges.get(v, ()):
        if w not in idx: sc(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], idx[w])
    if low[v] == idx[v]:
        comp = []
        while True:
            w = st.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: out.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in sorted(nodes):
    if v not in idx: sc(v)
if '-v' in os.environ.get('MODGRAPH', ''):
    for a in sorted(edges): print(a, '->', ', '.join(sorted(edges[a])))
for c in out: print('circle:', ' <-> '.join(c))
print(f'{len(nodes)} modules, {sum(len(v) for v in edges.values())} edges, {len(out)} circles')
sys.exit(1 if out else 0)
