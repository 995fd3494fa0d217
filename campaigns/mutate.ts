/**
 * Mutations of a seed file as a fast-check arbitrary: bit flips, odd int32 values (in the hot
 * offsets: tag headers, matrix dimensions, header fields), truncation, spliced chunks, inserted
 * and deleted bytes, and for text formats token replacements. fast-check draws them from its
 * seeded generator, so a campaign is reproducible from its seed.
 */
import fc from 'fast-check';

const ODD = [0, 1, -1, 2, 3, 16, 20, 31, 32, 0x7fffffff, -0x80000000, 0x40000004, 0x40000003, 0x40100004, 1 << 20, 1 << 24, 65536, 0x3f800000];
export const TOKENS = ['abc', '--1', '1,5', '0x10', 'nan', 'inf', '1e309', '-0', '', ' ', '\n', '#', '%', '## Name "x dipoles"', '1e', '.', '+', '\r\n', '\u0000', '99999999999999999999'];

type Op =
  | { k: 'flip'; at: number; bit: number }
  | { k: 'int32'; at: number; hot: boolean; v: number }
  | { k: 'truncate'; at: number }
  | { k: 'splice'; from: number; to: number; n: number }
  | { k: 'insert'; at: number; n: number; byte: number }
  | { k: 'delete'; at: number; n: number }
  | { k: 'token'; at: number; text: string };

export interface Mutant { seed: number; ops: Op[] }

/** `tokens`: the words token replacements draw from (text formats; default TOKENS). */
export function mutantArbitrary(nSeeds: number, text: boolean, tokens: readonly string[] = TOKENS): fc.Arbitrary<Mutant> {
  const at = fc.nat();
  const binaryOps: fc.Arbitrary<Op>[] = [
    fc.record({ k: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ k: fc.constant('int32' as const), at, hot: fc.boolean(), v: fc.oneof(fc.constantFrom(...ODD), fc.integer()) }),
    fc.record({ k: fc.constant('truncate' as const), at }),
    fc.record({ k: fc.constant('splice' as const), from: at, to: at, n: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ k: fc.constant('insert' as const), at, n: fc.integer({ min: 1, max: 32 }), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ k: fc.constant('delete' as const), at, n: fc.integer({ min: 1, max: 32 }) }),
  ];
  // Text formats: as many token replacements as byte edits (a word swapped keeps the file parseable
  // far more often than a byte flipped, and reaches the checks behind the parser).
  const token = fc.record({ k: fc.constant('token' as const), at, text: fc.constantFrom(...tokens) });
  const ops = text ? [...binaryOps, { arbitrary: token, weight: binaryOps.length }] : binaryOps;
  // Mostly one or two mutations: a seed mutated everywhere fails at its first check and tests little.
  return fc.record({ seed: fc.nat({ max: nSeeds - 1 }), ops: fc.array(fc.oneof(...ops), { minLength: 1, maxLength: 3 }) });
}

/**
 * Applies the mutations to a copy of `seed`; `hot` are the offsets int32 mutations prefer,
 * `separator` the characters between the words token replacements replace (CSV and JSON add their
 * punctuation, so a token replaces one cell or value, not a line).
 */
export function applyMutant(seed: Buffer, hot: readonly number[], m: Mutant, separator = /\s/): Buffer {
  let b = Buffer.from(seed);
  for (const op of m.ops) {
    const n = b.length;
    if (n === 0) break;
    switch (op.k) {
      case 'flip': b[op.at % n] ^= 1 << op.bit; break;
      case 'int32': {
        const o = op.hot && hot.length > 0 ? hot[op.at % hot.length] : op.at % n;
        if (o >= 0 && o + 4 <= n) b.writeInt32BE(op.v | 0, o);
        break;
      }
      case 'truncate': b = b.subarray(0, op.at % n); break;
      case 'splice': { const len = Math.min(op.n, n); b.copy(b, op.to % (n - len + 1), op.from % (n - len + 1), (op.from % (n - len + 1)) + len); break; }
      case 'insert': { const a = op.at % (n + 1); b = Buffer.concat([b.subarray(0, a), Buffer.alloc(op.n, op.byte), b.subarray(a)]); break; }
      case 'delete': { const a = op.at % n; b = Buffer.concat([b.subarray(0, a), b.subarray(a + op.n)]); break; }
      case 'token': {
        // Replace the word at the offset (text formats).
        const s = b.toString('latin1');
        const a = op.at % n;
        let i = a, j = a;
        while (i > 0 && !separator.test(s[i - 1])) i--;
        while (j < n && !separator.test(s[j])) j++;
        b = Buffer.from(s.slice(0, i) + op.text + s.slice(j), 'latin1');
        break;
      }
    }
  }
  return b;
}
