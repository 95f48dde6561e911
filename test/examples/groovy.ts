// Just enough of Groovy to read a declarative Jenkinsfile: comments, the three string forms, and nested
// `name(args) { ... }` blocks, with the string arguments of calls such as `sh '...'` and `pollSCM('...')`.
export interface Block {
  name: string;
  args: string[];
  children: Block[];
  /** Calls inside this block (not nested blocks): `sh 'x'` is { name: 'sh', args: ['x'] }. */
  calls: { name: string; args: string[] }[];
}

type Token = { t: 'id'; v: string } | { t: 'str'; v: string } | { t: 'p'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (src.startsWith('//', i)) i = src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i);
    else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unclosed /* comment');
      i = end + 2;
    } else if (src.startsWith("'''", i) || src.startsWith('"""', i)) {
      const q = src.slice(i, i + 3);
      const end = src.indexOf(q, i + 3);
      if (end < 0) throw new Error(`unclosed ${q} string`);
      out.push({ t: 'str', v: src.slice(i + 3, end) });
      i = end + 3;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') j++;
        if (src[j] === '\n') throw new Error(`line break inside a ${c} string`);
        j++;
      }
      if (j >= src.length) throw new Error(`unclosed ${c} string`);
      out.push({ t: 'str', v: src.slice(i + 1, j) });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i))![0];
      out.push({ t: 'id', v: m });
      i += m.length;
    } else if (/\s/.test(c)) i++;
    else {
      out.push({ t: 'p', v: c });
      i++;
    }
  }
  return out;
}

/** Parses the block structure; throws on unbalanced braces, parentheses or brackets. */
export function parseGroovyBlocks(src: string): Block {
  const tokens = tokenize(src);
  const root: Block = { name: '', args: [], children: [], calls: [] };
  const stack: Block[] = [root];
  const brackets: string[] = [];
  let pending: { name: string; args: string[] } | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const tk = tokens[i];
    const top = stack[stack.length - 1];
    if (tk.t === 'id' && brackets.length === 0) {
      // A call's string arguments: `name 'x'`, `name('x')`, `name('x', ...)`.
      const args: string[] = [];
      let j = i + 1;
      const paren = tokens[j]?.v === '(';
      if (paren) j++;
      while (tokens[j]?.t === 'str' || (paren && tokens[j] && tokens[j].v !== ')' && tokens[j].v !== '(')) {
        if (tokens[j].t === 'str') args.push(tokens[j].v);
        j++;
      }
      pending = { name: tk.v, args };
      if (args.length) top.calls.push({ name: tk.v, args });
    } else if (tk.t === 'p' && '([{'.includes(tk.v) && !(tk.v === '{' && brackets.length === 0)) {
      brackets.push(tk.v);
    } else if (tk.t === 'p' && ')]}'.includes(tk.v) && brackets.length > 0) {
      const open = brackets.pop()!;
      if ('([{'.indexOf(open) !== ')]}'.indexOf(tk.v)) throw new Error(`'${open}' closed by '${tk.v}'`);
    } else if (tk.t === 'p' && tk.v === '{') {
      const b: Block = { name: pending?.name ?? '', args: pending?.args ?? [], children: [], calls: [] };
      top.children.push(b);
      stack.push(b);
      pending = undefined;
    } else if (tk.t === 'p' && tk.v === '}') {
      if (stack.length === 1) throw new Error("unbalanced '}'");
      stack.pop();
    }
  }
  if (stack.length !== 1 || brackets.length) throw new Error('unclosed block or bracket');
  return root;
}

export function child(b: Block, name: string): Block | undefined {
  return b.children.find((c) => c.name === name);
}

/** Every call named `name` anywhere below `b`. */
export function callsNamed(b: Block, name: string): string[][] {
  return [...b.calls.filter((c) => c.name === name).map((c) => c.args), ...b.children.flatMap((c) => callsNamed(c, name))];
}
