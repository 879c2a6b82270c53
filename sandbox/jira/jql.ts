/**
 * The JQL subset the app needs: field clauses joined with AND / OR / NOT and parentheses, and an
 * ORDER BY. Parsing is separate from evaluation so that errors name the offending token like
 * Jira's do ("Error in the JQL Query: ...").
 */

export type JqlOperator = '=' | '!=' | '~' | '!~' | '>' | '>=' | '<' | '<=' | 'in' | 'not in' | 'is' | 'is not';

export type JqlValue =
  | { kind: 'string'; value: string }
  | { kind: 'empty' }
  | { kind: 'function'; name: string; args: string[] }
  | { kind: 'list'; values: JqlValue[] };

export type JqlNode =
  | { kind: 'and'; left: JqlNode; right: JqlNode }
  | { kind: 'or'; left: JqlNode; right: JqlNode }
  | { kind: 'not'; operand: JqlNode }
  | { kind: 'clause'; field: string; operator: JqlOperator; value: JqlValue };

export interface JqlOrderItem {
  field: string;
  direction: 'asc' | 'desc';
}

export interface JqlQuery {
  where: JqlNode | null;
  orderBy: JqlOrderItem[];
}

export class JqlSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JqlSyntaxError';
  }
}

type Token = { type: 'word' | 'string' | 'op' | 'punct'; text: string; pos: number };

const OPERATOR_CHARS = /[=!~<>]/;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < input.length && input[j] !== c) {
        if (input[j] === '\\' && j + 1 < input.length) j++;
        text += input[j];
        j++;
      }
      if (j >= input.length)
        throw new JqlSyntaxError(
          `Error in the JQL Query: The quoted string '${text}' has not been completed. (line 1, character ${i + 1})`,
        );
      tokens.push({ type: 'string', text, pos: i });
      i = j + 1;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: 'punct', text: c, pos: i });
      i++;
      continue;
    }
    if (OPERATOR_CHARS.test(c)) {
      const two = input.slice(i, i + 2);
      const op = ['!=', '!~', '>=', '<='].includes(two) ? two : c;
      if (op === '!')
        throw new JqlSyntaxError(
          `Error in the JQL Query: The character '!' is a reserved JQL character. (line 1, character ${i + 1})`,
        );
      tokens.push({ type: 'op', text: op, pos: i });
      i += op.length;
      continue;
    }
    let j = i;
    let text = '';
    while (j < input.length) {
      const d = input[j] as string;
      if (d === '[') {
        const close = input.indexOf(']', j);
        if (close < 0) throw new JqlSyntaxError(`Error in the JQL Query: Expecting ']' (line 1, character ${j + 1})`);
        text += input.slice(j, close + 1);
        j = close + 1;
        continue;
      }
      if (/\s/.test(d) || d === '(' || d === ')' || d === ',' || d === '"' || d === "'" || OPERATOR_CHARS.test(d))
        break;
      text += d;
      j++;
    }
    tokens.push({ type: 'word', text, pos: i });
    i = j;
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new JqlSyntaxError('Error in the JQL Query: Expecting more input at the end of the query.');
    return t;
  }

  private isWord(t: Token | undefined, word: string): boolean {
    return Boolean(t && t.type === 'word' && t.text.toLowerCase() === word);
  }

  parse(): JqlQuery {
    let where: JqlNode | null = null;
    if (this.peek() && !this.isOrderBy()) where = this.parseOr();
    const orderBy: JqlOrderItem[] = [];
    if (this.isOrderBy()) {
      this.i += 2;
      do {
        const field = this.next();
        if (field.type !== 'word' && field.type !== 'string') throw this.unexpected(field);
        let direction: 'asc' | 'desc' = 'asc';
        if (this.isWord(this.peek(), 'asc') || this.isWord(this.peek(), 'desc'))
          direction = this.next().text.toLowerCase() as 'asc' | 'desc';
        orderBy.push({ field: field.text, direction });
      } while (this.peek()?.text === ',' && this.next());
    }
    const rest = this.peek();
    if (rest) throw this.unexpected(rest);
    return { where, orderBy };
  }

  private isOrderBy(): boolean {
    return this.isWord(this.peek(), 'order') && this.isWord(this.tokens[this.i + 1], 'by');
  }

  private unexpected(t: Token): JqlSyntaxError {
    return new JqlSyntaxError(
      `Error in the JQL Query: Expecting operator but got '${t.text}'. (line 1, character ${t.pos + 1})`,
    );
  }

  private parseOr(): JqlNode {
    let left = this.parseAnd();
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): JqlNode {
    let left = this.parseNot();
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): JqlNode {
    if (this.isWord(this.peek(), 'not')) {
      this.next();
      return { kind: 'not', operand: this.parseNot() };
    }
    if (this.peek()?.text === '(' && this.peek()?.type === 'punct') {
      this.next();
      const inner = this.parseOr();
      const close = this.next();
      if (close.text !== ')')
        throw new JqlSyntaxError(
          `Error in the JQL Query: Expecting ')' but got '${close.text}'. (line 1, character ${close.pos + 1})`,
        );
      return inner;
    }
    return this.parseClause();
  }

  private parseClause(): JqlNode {
    const fieldToken = this.next();
    if (fieldToken.type !== 'word' && fieldToken.type !== 'string') {
      throw new JqlSyntaxError(
        `Error in the JQL Query: Expecting a field name but got '${fieldToken.text}'. ` +
          `(line 1, character ${fieldToken.pos + 1})`,
      );
    }
    const opToken = this.next();
    let operator: JqlOperator;
    if (opToken.type === 'op') operator = opToken.text as JqlOperator;
    else if (this.isWord(opToken, 'in')) operator = 'in';
    else if (this.isWord(opToken, 'is')) {
      if (this.isWord(this.peek(), 'not')) {
        this.next();
        operator = 'is not';
      } else operator = 'is';
    } else if (this.isWord(opToken, 'not') && this.isWord(this.peek(), 'in')) {
      this.next();
      operator = 'not in';
    } else {
      throw new JqlSyntaxError(
        `Error in the JQL Query: Expecting operator but got '${opToken.text}'. ` +
          "Valid operators are '=', '!=', '~', '!~', '<', '<=', '>', '>=', 'IN', 'NOT IN', 'IS', 'IS NOT'. " +
          `(line 1, character ${opToken.pos + 1})`,
      );
    }
    const value = operator === 'in' || operator === 'not in' ? this.parseList() : this.parseValue();
    return { kind: 'clause', field: fieldToken.text, operator, value };
  }

  private parseList(): JqlValue {
    const open = this.next();
    if (open.text !== '(')
      throw new JqlSyntaxError(
        `Error in the JQL Query: Expecting '(' but got '${open.text}'. (line 1, character ${open.pos + 1})`,
      );
    const values: JqlValue[] = [];
    if (this.peek()?.text === ')') {
      throw new JqlSyntaxError(
        "Error in the JQL Query: Expecting either a value, list or function but got ')'. " +
          `(line 1, character ${this.peek()!.pos + 1})`,
      );
    }
    for (;;) {
      values.push(this.parseValue());
      const t = this.next();
      if (t.text === ')') break;
      if (t.text !== ',')
        throw new JqlSyntaxError(
          `Error in the JQL Query: Expecting ',' or ')' but got '${t.text}'. (line 1, character ${t.pos + 1})`,
        );
    }
    return { kind: 'list', values };
  }

  private parseValue(): JqlValue {
    const t = this.next();
    if (t.type === 'string') return { kind: 'string', value: t.text };
    if (t.type !== 'word')
      throw new JqlSyntaxError(
        `Error in the JQL Query: Expecting either a value, list or function but got '${t.text}'. ` +
          `(line 1, character ${t.pos + 1})`,
      );
    const lower = t.text.toLowerCase();
    if (lower === 'empty' || lower === 'null') return { kind: 'empty' };
    if (this.peek()?.text === '(' && this.peek()?.type === 'punct') {
      this.next();
      const args: string[] = [];
      while (this.peek() && this.peek()!.text !== ')') {
        const a = this.next();
        if (a.text !== ',') args.push(a.text);
      }
      this.next();
      return { kind: 'function', name: t.text, args };
    }
    return { kind: 'string', value: t.text };
  }
}

export function parseJql(input: string): JqlQuery {
  return new Parser(tokenize(input)).parse();
}
