"""YAML loading that keeps where every mapping, key and value came from.

Built on PyYAML's safe loader: only plain data (no Python objects). Two stricter rules than
``yaml.safe_load``: a duplicate key is an error (PyYAML keeps the last one silently), and dates
stay strings, so ``2025-07`` and ``2025-07-02`` are read the same way.
"""

from __future__ import annotations

import yaml

try:  # libyaml's parser is several times faster; the constructor below is ours either way
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Base


class Mapping(dict):
    """A YAML mapping that remembers the position of itself, its keys and its values."""

    pos: tuple[int, int] = (1, 1)
    key_pos: dict
    value_pos: dict

    def where(self, key=None) -> tuple[int, int]:
        """Return the (line, col) of a key's value, or of the mapping itself."""
        if key is not None and key in self.value_pos:
            return self.value_pos[key]
        return self.pos


class Sequence(list):
    """A YAML sequence that remembers its position and each item's position."""

    pos: tuple[int, int] = (1, 1)
    item_pos: list

    def where(self, index=None) -> tuple[int, int]:
        """Return the (line, col) of an item, or of the sequence itself."""
        if index is not None and 0 <= index < len(self.item_pos):
            return self.item_pos[index]
        return self.pos


def _mark(node, line_offset: int) -> tuple[int, int]:
    return node.start_mark.line + 1 + line_offset, node.start_mark.column + 1


class _Loader(_Base):
    """Safe loader that builds ``Mapping``/``Sequence`` and reports duplicate keys."""

    line_offset = 0
    duplicates: list

    def construct_yaml_map(self, node):
        data = Mapping()
        data.pos = _mark(node, self.line_offset)
        data.key_pos, data.value_pos = {}, {}
        yield data
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if key in data:
                self.duplicates.append((key, _mark(key_node, self.line_offset)))
                continue
            data[key] = self.construct_object(value_node, deep=True)
            data.key_pos[key] = _mark(key_node, self.line_offset)
            data.value_pos[key] = _mark(value_node, self.line_offset)

    def construct_yaml_seq(self, node):
        data = Sequence()
        data.pos = _mark(node, self.line_offset)
        data.item_pos = [_mark(child, self.line_offset) for child in node.value]
        yield data
        data.extend(self.construct_object(child, deep=True) for child in node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_yaml_seq)
# Dates stay strings: the model accepts partial dates (YYYY-MM) and must not mix types.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


class YamlError(Exception):
    """A YAML document that cannot be read, with its position."""

    def __init__(self, message: str, line: int, col: int):
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


def load(text: str, line_offset: int = 0):
    """Parse one YAML document; return ``(data, duplicates)``.

    ``line_offset`` shifts reported lines, for YAML embedded in a larger file (front matter).
    ``duplicates`` lists ``(key, (line, col))`` for every repeated key. Raises ``YamlError``.
    """
    loader = _Loader(text)
    loader.line_offset = line_offset
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(f"YAML syntax error: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error: {exc}", 1 + line_offset, 1) from None
    finally:
        loader.dispose()
    return data, loader.duplicates
