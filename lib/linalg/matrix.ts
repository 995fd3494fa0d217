/**
 * The one dense matrix type of mxne: float64, column-major, packed (leading dimension = rows).
 * Element (i, j) lives at data[i + j * rows]. `data` may be a subarray view of a larger buffer.
 */
export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;

  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new RangeError(`Expected non-negative integer shape but received ${rows}x${cols}`);
    }
    const n = rows * cols;
    if (data !== undefined && data.length !== n) {
      throw new RangeError(`Expected data of length ${n} for a ${rows}x${cols} Matrix but received ${data.length}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(n);
  }

  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  /**
   * A matrix whose values are not set, for an output a native kernel writes in full (GEMM with
   * β = 0, SYRK, a widening read). Zeroing 17–52 MB held the event loop 2–15 ms per allocation;
   * unset, the memory is first touched by the kernel's thread instead.
   */
  static uninitialized(rows: number, cols: number): Matrix {
    // An invalid shape goes to the constructor, which names it.
    if (!(Number.isInteger(rows) && rows >= 0 && Number.isInteger(cols) && cols >= 0)) return new Matrix(rows, cols);
    const n = rows * cols;
    return new Matrix(rows, cols, new Float64Array(Buffer.allocUnsafeSlow(n * 8).buffer, 0, n));
  }

  static identity(n: number): Matrix {
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i + i * n] = 1;
    return m;
  }

  /** From row-major nested arrays (the way people write matrices in tests and JSON). */
  static fromRows(rows: ArrayLike<ArrayLike<number>>): Matrix {
    const r = rows.length;
    const c = r === 0 ? 0 : rows[0].length;
    const m = new Matrix(r, c);
    for (let i = 0; i < r; i++) {
      if (rows[i].length !== c) throw new RangeError(`Expected ${c} columns in row ${i} but received ${rows[i].length}`);
      for (let j = 0; j < c; j++) m.data[i + j * r] = rows[i][j];
    }
    return m;
  }

  /** From a row-major flat array (e.g. a C-order .npy payload or a FIF matrix tag). */
  static fromRowMajor(rows: number, cols: number, values: ArrayLike<number>): Matrix {
    const m = new Matrix(rows, cols);
    if (values.length !== rows * cols) {
      throw new RangeError(`Expected ${rows * cols} values for a ${rows}x${cols} Matrix but received ${values.length}`);
    }
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.data[i + j * rows] = values[i * cols + j];
    return m;
  }

  get(i: number, j: number): number {
    return this.data[i + j * this.rows];
  }

  set(i: number, j: number, v: number): void {
    this.data[i + j * this.rows] = v;
  }

  /** Column j as a view (no copy). */
  col(j: number): Float64Array {
    return this.data.subarray(j * this.rows, (j + 1) * this.rows);
  }

  /** Columns [start, end) as a view (no copy): contiguous in column-major storage. */
  colRange(start: number, end: number): Matrix {
    return new Matrix(this.rows, end - start, this.data.subarray(start * this.rows, end * this.rows));
  }

  /** A copy of row i. */
  row(i: number): Float64Array {
    const out = new Float64Array(this.cols);
    for (let j = 0; j < this.cols; j++) out[j] = this.data[i + j * this.rows];
    return out;
  }

  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  transpose(): Matrix {
    const t = new Matrix(this.cols, this.rows);
    for (let j = 0; j < this.cols; j++) for (let i = 0; i < this.rows; i++) t.data[j + i * this.cols] = this.data[i + j * this.rows];
    return t;
  }

  /** Copy of the given rows (in the given order). */
  pickRows(idx: ArrayLike<number>): Matrix {
    const out = new Matrix(idx.length, this.cols);
    for (let j = 0; j < this.cols; j++) {
      for (let k = 0; k < idx.length; k++) out.data[k + j * idx.length] = this.data[idx[k] + j * this.rows];
    }
    return out;
  }

  /** Copy of the given columns (in the given order). */
  pickCols(idx: ArrayLike<number>): Matrix {
    const out = new Matrix(this.rows, idx.length);
    for (let k = 0; k < idx.length; k++) out.data.set(this.col(idx[k]), k * this.rows);
    return out;
  }

  /** Row-major nested arrays (for JSON output). */
  toRows(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }

  frobeniusNorm(): number {
    let s = 0;
    for (let k = 0; k < this.data.length; k++) s += this.data[k] * this.data[k];
    return Math.sqrt(s);
  }

  maxAbs(): number {
    let m = 0;
    for (let k = 0; k < this.data.length; k++) m = Math.max(m, Math.abs(this.data[k]));
    return m;
  }

  /**
   * Index (in `data`) of the first NaN or ±Infinity, −1 when all are finite. A method rather than
   * `data.findIndex((v) => !Number.isFinite(v))` at each check: V8 keeps a callback's optimised
   * code only while one of its closures lives, so a closure made per call was optimised anew after
   * every full collection, in every pool worker (each row of a batch); a method keeps its code.
   */
  firstNonFinite(): number {
    return firstNonFinite(this.data);
  }
}

/** Index of the first NaN or ±Infinity in `d`, −1 when all are finite (for arrays not yet known to be a Matrix's). */
export function firstNonFinite(d: Float64Array): number {
  for (let k = 0; k < d.length; k++) if (!Number.isFinite(d[k])) return k;
  return -1;
}
