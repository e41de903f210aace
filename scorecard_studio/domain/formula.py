"""The safe formula language of formula KPIs: a real grammar, never Python ``eval``.

``churned_arr / (arr + 1) * 100`` or ``max(nps, 0) - abs(ces_gap)``: numbers, KPI ids,
``+ - * /`` (also ``×`` and ``÷``), unary minus, parentheses and the functions ``min``,
``max`` and ``abs``. Parsing yields a small immutable AST, so the engine can evaluate it on
whole arrays of (tier, period) actuals at once and the design checks can list references
and find cycles without evaluating anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, TypeVar

from lark import Lark, Token, Tree
from lark.exceptions import (
    LarkError,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)

from scorecard_studio.domain.errors import DesignError

_GRAMMAR = r"""
?start: sum
?sum: product
    | sum "+" product   -> add
    | sum "-" product   -> sub
?product: unary
    | product ("*" | "×") unary  -> mul
    | product ("/" | "÷") unary  -> div
?unary: atom
    | "-" unary  -> neg
    | "+" unary
?atom: NUMBER          -> number
    | NAME "(" [sum ("," sum)*] ")"  -> call
    | NAME             -> ref
    | "(" sum ")"
NAME: /[A-Za-z_][A-Za-z0-9_]*/
NUMBER: /(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/
%import common.WS
%ignore WS
"""

FUNCTIONS: dict[str, tuple[int, int | None]] = {"min": (2, None), "max": (2, None), "abs": (1, 1)}


@dataclass(frozen=True, slots=True)
class Num:
    value: float


@dataclass(frozen=True, slots=True)
class Ref:
    name: str


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Node


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call:
    function: str
    args: tuple[Node, ...]


Node = Num | Ref | Neg | BinOp | Call


#: Longest formula accepted, in characters; real formulas are a line or two.
MAX_FORMULA_LENGTH = 10_000

_BINARY = {"add": "+", "sub": "-", "mul": "*", "div": "/"}


def _to_ast(tree: Tree[Token]) -> Node:
    """The AST of a parse tree, built bottom-up with an explicit stack (any depth)."""
    done: list[Node] = []
    stack: list[tuple[Tree[Token] | Token | None, bool]] = [(tree, False)]
    while stack:
        item, expanded = stack.pop()
        if not isinstance(item, Tree):
            continue  # tokens and empty optionals are read by their parent
        if not expanded:
            stack.append((item, True))
            stack.extend((child, False) for child in reversed(item.children))
            continue
        subtrees = sum(isinstance(c, Tree) for c in item.children)
        args = done[len(done) - subtrees :] if subtrees else []
        del done[len(done) - subtrees :]
        rule = str(item.data)
        if rule == "number":
            done.append(Num(float(str(item.children[0]))))
        elif rule == "ref":
            done.append(Ref(str(item.children[0])))
        elif rule == "neg":
            done.append(Neg(args[0]))
        elif rule in _BINARY:
            done.append(BinOp(_BINARY[rule], args[0], args[1]))
        elif rule == "call":
            done.append(Call(str(item.children[0]), tuple(args)))
        else:  # a pass-through rule ("+" unary, parentheses): its one subtree stands
            done.extend(args)
    return done[0]


def _walk(node: Node) -> list[Node]:
    """Every node of a formula, parents before children, without recursion."""
    out: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        match current:
            case Neg(operand):
                stack.append(operand)
            case BinOp(_, left, right):
                stack.extend((right, left))
            case Call(_, args):
                stack.extend(reversed(args))
            case _:
                pass
    return out


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(_GRAMMAR, parser="lalr")


@lru_cache(maxsize=4096)
def parse_formula(text: str, path: str = "formula") -> Node:
    """Parse a formula; DesignError names the position and what was unexpected."""
    if not text or not text.strip():
        raise DesignError(path, "the formula is empty")
    if len(text) > MAX_FORMULA_LENGTH:
        raise DesignError(
            path,
            f"the formula is {len(text):,} characters long (at most {MAX_FORMULA_LENGTH:,})",
        )
    try:
        tree = _parser().parse(text)
    except UnexpectedCharacters as exc:
        raise DesignError(
            path, f"unexpected character {exc.char!r} at position {exc.column}"
        ) from None
    except UnexpectedEOF:
        raise DesignError(path, "the formula ends too early") from None
    except UnexpectedToken as exc:
        if exc.token.type == "$END":
            raise DesignError(path, "the formula ends too early") from None
        raise DesignError(path, f"unexpected {str(exc.token)!r} at position {exc.column}") from None
    except UnexpectedInput as exc:
        raise DesignError(path, f"unexpected input at position {exc.column}") from None
    except LarkError as exc:  # any other parser complaint
        raise DesignError(path, f"cannot parse formula: {exc}") from None
    node = _to_ast(tree)
    _check_calls(node, path)
    return node


def _check_calls(node: Node, path: str) -> None:
    for current in _walk(node):
        if not isinstance(current, Call):
            continue
        function, args = current.function, current.args
        if function not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise DesignError(path, f"unknown function {function!r} (known: {known})")
        low, high = FUNCTIONS[function]
        if len(args) < low or (high is not None and len(args) > high):
            raise DesignError(path, f"{function}() takes {_arity(low, high)}")


def _arity(low: int, high: int | None) -> str:
    if high == low:
        return f"exactly {low} argument{'s' if low != 1 else ''}"
    return f"at least {low} arguments"


def references(node: Node) -> set[str]:
    """Every KPI id a formula refers to."""
    return {n.name for n in _walk(node) if isinstance(n, Ref)}


T = TypeVar("T")


class Arithmetic(Protocol[T]):
    """The operations evaluation needs, so one evaluator serves floats and arrays."""

    def constant(self, value: float) -> T: ...
    def divide(self, a: T, b: T) -> T: ...
    def minimum(self, a: T, b: T) -> T: ...
    def maximum(self, a: T, b: T) -> T: ...
    def absolute(self, a: T) -> T: ...


def evaluate(node: Node, env: Mapping[str, T], arith: Arithmetic[T]) -> T:
    """Evaluate ``node`` with KPI values from ``env``; division by zero is the caller's.

    Children are evaluated before their parent from the reversed pre-order walk, with the
    values kept on a stack, so a formula of any depth evaluates without recursion.
    """
    ops: dict[str, Callable[[T, T], T]] = {
        "+": lambda a, b: a + b,  # type: ignore[operator]
        "-": lambda a, b: a - b,  # type: ignore[operator]
        "*": lambda a, b: a * b,  # type: ignore[operator]
        "/": arith.divide,
    }
    values: list[T] = []
    for current in reversed(_walk(node)):
        match current:
            case Num(value):
                values.append(arith.constant(value))
            case Ref(name):
                values.append(env[name])
            case Neg():
                values.append(arith.constant(0.0) - values.pop())  # type: ignore[operator]
            case BinOp(op, _, _):
                left = values.pop()
                right = values.pop()
                values.append(ops[op](left, right))
            case Call(function, args):
                operands = [values.pop() for _ in args]
                if function == "abs":
                    values.append(arith.absolute(operands[0]))
                    continue
                combine = arith.minimum if function == "min" else arith.maximum
                result = operands[0]
                for v in operands[1:]:
                    result = combine(result, v)
                values.append(result)
            case _:  # pragma: no cover
                raise AssertionError(f"unknown node {current!r}")
    return values[0]


class FloatArithmetic:
    """Scalar arithmetic where x/0 is NaN (no data), as in the vectorised engine."""

    def constant(self, value: float) -> float:
        return value

    def divide(self, a: float, b: float) -> float:
        return a / b if b != 0 else float("nan")

    def minimum(self, a: float, b: float) -> float:
        return min(a, b)

    def maximum(self, a: float, b: float) -> float:
        return max(a, b)

    def absolute(self, a: float) -> float:
        return abs(a)


def formula_order(formulas: Mapping[str, set[str]]) -> tuple[list[str], list[list[str]]]:
    """Topological order of formula KPIs, and the cycles that prevent one.

    ``formulas`` maps a formula KPI to the ids it references; references to non-formula KPIs
    are leaves. Returns (evaluation order, cycles), each cycle as a list of ids. A depth-first
    search with an explicit stack, so a chain of any length is ordered without recursion.
    """
    order: list[str] = []
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done
    for root in formulas:
        if state.get(root, 0):
            continue
        state[root] = 1
        path = [root]
        pending = [iter(sorted(formulas.get(root, ())))]
        while pending:
            ref = next(pending[-1], None)
            if ref is None:
                pending.pop()
                node = path.pop()
                state[node] = 2
                order.append(node)
                continue
            if ref not in formulas:
                continue
            mark = state.get(ref, 0)
            if mark == 1:
                cycles.append([*path[path.index(ref) :], ref])
            elif mark == 0:
                state[ref] = 1
                path.append(ref)
                pending.append(iter(sorted(formulas.get(ref, ()))))
    return order, cycles
