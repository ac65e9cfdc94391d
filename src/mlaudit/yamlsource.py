"""YAML loading that remembers where every value came from.

Rubric authors and CI files both need `file:line` in messages, and PyYAML's plain `safe_load`
throws line numbers away. We compose the node tree once and build Python values from it,
keeping a map from each value's path (a tuple of keys and indexes) to its 1-based line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Loc = tuple[Any, ...]


@dataclass
class YamlDoc:
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """Line of `loc`, or of its nearest ancestor that has one (pydantic locations can
        point at a key that is missing, so the parent mapping is the best place to look)."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


class YamlSyntaxError(ValueError):
    def __init__(self, message: str, line: int | None):
        self.line = line
        super().__init__(message)


def load_yaml(text: str) -> YamlDoc:
    """Parse one YAML document. Raises YamlSyntaxError with the line of the problem."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        doc = YamlDoc(data=None)
        if node is not None:
            doc.data = _build(node, (), doc.lines, loader, {})
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        raise YamlSyntaxError(f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"invalid YAML: {exc}", None) from None
    except RecursionError:
        raise YamlSyntaxError("YAML nested too deeply to read", None) from None
    finally:
        loader.dispose()


def _build(node: yaml.Node, loc: Loc, lines: dict[Loc, int], loader: yaml.SafeLoader, built: dict) -> Any:
    # An alias is the same node object again: build it once, or `&a [*b, *b, ...]` chains explode.
    if id(node) in built:
        return built[id(node)]
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves `<<:` merge keys the way safe_load does
        out: dict[Any, Any] = {}
        built[id(node)] = out
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                key = str(key)
            out[key] = _build(value_node, loc + (key,), lines, loader, built)
            lines[loc + (key,)] = key_node.start_mark.line + 1  # the key's line reads best in errors
        return out
    if isinstance(node, yaml.SequenceNode):
        items: list[Any] = []
        built[id(node)] = items
        items.extend(_build(child, loc + (i,), lines, loader, built) for i, child in enumerate(node.value))
        return items
    return loader.construct_object(node, deep=True)
