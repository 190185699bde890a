"""Line and column of a field path, looked up only for files that have findings.

The loader keeps no nodes (they cost ~0.5 KB each); this composes a file again on demand, once.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, SequenceNode

from generator.findings import Finding, Loc


class Positions:
    def __init__(self, root: Path):
        self.root = Path(root)
        self._nodes: dict[str, Any] = {}

    def root_node(self, file: str):
        if file not in self._nodes:
            from generator.load import compose_file

            self._nodes[file] = compose_file(self.root / file)
        return self._nodes[file]

    def node_at(self, file: str, loc: Loc, at_key: bool = False):
        """The node at `loc` (or its nearest existing ancestor); None when the file has no nodes."""
        node = self.root_node(file)
        if node is None:
            return None
        for i, part in enumerate(loc):
            last = i == len(loc) - 1
            if isinstance(node, MappingNode) and isinstance(part, str):
                for knode, vnode in reversed(node.value):  # the last of duplicate keys wins
                    if getattr(knode, "value", None) == part:
                        node = knode if (last and at_key) else vnode
                        break
                else:
                    return node
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
            else:
                return node
        return node

    def line_col(self, file: str, loc: Loc, at_key: bool = False) -> tuple[int, int]:
        node = self.node_at(file, loc, at_key)
        if node is None:
            return 1, 1
        return node.start_mark.line + 1, node.start_mark.column + 1

    def resolve(self, findings: list[Finding]) -> list[Finding]:
        out = []
        for f in findings:
            if f.line == 0 and f.loc is not None:
                line, col = self.line_col(f.file, f.loc, f.at_key)
                f = replace(f, line=line, column=col)
            out.append(f)
        return out
