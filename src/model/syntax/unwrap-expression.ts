import { Node } from "ts-morph";

/** The expression under parentheses, `as`/`<T>` casts, `satisfies`, `!` and `await`. */
export function unwrapExpression(node: Node): Node {
  let current = node;
  for (;;) {
    if (Node.isParenthesizedExpression(current) || Node.isAsExpression(current) || Node.isNonNullExpression(current)
      || Node.isTypeAssertion(current) || Node.isSatisfiesExpression(current) || Node.isAwaitExpression(current)) {
      current = current.getExpression();
    } else return current;
  }
}
