// N-API face of the passes of kernels.h over large gains (rotations, widening, column norms and
// scaling, depth Grams), each an async job. Everything is validated before the kernel runs; the
// L21 kernels are reached through solvers_exports.cc.
#include <napi.h>

#include <cmath>

#include "args.h"
#include "async.h"
#include "exports.h"
#include "kernels.h"

namespace mxne {
namespace {

constexpr int64_t kMaxDim = 2147483647;


// normalOrthAsync(n, normals, out) -> Promise<out>: normals 3n finite values, out 9n.
Napi::Value NormalOrthAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t n;
  F64 normals, out;
  size_t n3, n9;
  if (!ArgCount(info, 3) || !ArgInt(info, 0, "n", 0, kMaxDim / 9, &n) || !Size(env, "normals", n, 3, &n3) ||
      !ArgF64Finite(info, 1, "normals", n3, &normals) || !Size(env, "out", n, 9, &n9) || !ArgF64(info, 2, "out", n9, &out) ||
      !Disjoint(env, normals, "normals", out, "out"))
    return env.Undefined();
  const int count = int(n);
  return Job::Run(env, "normalOrth", [=] { return NormalOrth(count, normals.data, out.data); }, {normals, out}, out.value);
}

// rotateSourcesAsync(nchan, ns, sol, basis, fixed, out) -> Promise<out>
Napi::Value RotateSourcesAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t nchan, ns;
  bool fixed;
  F64 sol, basis, out;
  size_t solLen, basisLen, outLen;
  if (!ArgCount(info, 6) || !ArgInt(info, 0, "nchan", 0, kMaxDim, &nchan) || !ArgInt(info, 1, "ns", 0, kMaxDim / 9, &ns) ||
      !Size(env, "sol", nchan, 3 * ns, &solLen) || !ArgF64(info, 2, "sol", solLen, &sol) || !Size(env, "basis", ns, 9, &basisLen) ||
      !ArgF64Finite(info, 3, "basis", basisLen, &basis) || !ArgBool(info, 4, "fixed", &fixed) ||
      !Size(env, "out", nchan, fixed ? ns : 3 * ns, &outLen) || !ArgF64(info, 5, "out", outLen, &out) ||
      !Disjoint(env, sol, "sol", out, "out") || !Disjoint(env, basis, "basis", out, "out"))
    return env.Undefined();
  const int nc = int(nchan), n = int(ns);
  return Job::Run(env, "rotateSources", [=] { RotateSources(nc, n, sol.data, basis.data, fixed, out.data); return Status::Ok(); },
                  {sol, basis, out}, out.value);
}


// columnNorms2Async(rows, cols, A, out) / scaleColumns[Async](rows, cols, A, s): big-matrix passes off the main thread
// (small ones inline, lib/linalg/columns.ts).
Napi::Value ColumnNorms2Async(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t rows, cols;
  F64 A, out;
  size_t len;
  if (!ArgCount(info, 4) || !ArgInt(info, 0, "rows", 0, kMaxDim, &rows) || !ArgInt(info, 1, "cols", 0, kMaxDim, &cols) ||
      !Size(env, "A", rows, cols, &len) || !ArgF64(info, 2, "A", len, &A) || !ArgF64(info, 3, "out", size_t(cols), &out) ||
      !Disjoint(env, A, "A", out, "out"))
    return env.Undefined();
  const int r = int(rows), c = int(cols);
  return Job::Run(env, "columnNorms2", [=] { ColumnNorms2(r, c, A.data, out.data); return Status::Ok(); }, {A, out}, out.value);
}

struct ScaleArgs {
  int rows, cols;
  F64 A, s;
};

// (rows, cols, A, s) with one finite factor per column of A, or per row when perRow.
bool ParseScale(const Napi::CallbackInfo& info, bool perRow, ScaleArgs* g) {
  Napi::Env env = info.Env();
  int64_t rows, cols;
  size_t len;
  if (!ArgCount(info, 4) || !ArgInt(info, 0, "rows", 0, kMaxDim, &rows) || !ArgInt(info, 1, "cols", 0, kMaxDim, &cols) ||
      !Size(env, "A", rows, cols, &len) || !ArgF64(info, 2, "A", len, &g->A) ||
      !ArgF64Finite(info, 3, "s", size_t(perRow ? rows : cols), &g->s) ||
      !Disjoint(env, g->A, "A", g->s, "s"))
    return false;
  g->rows = int(rows);
  g->cols = int(cols);
  return true;
}

// scaleColumns: the same pass inline, for matrices small enough that a thread-pool round trip costs more.
Napi::Value ScaleColumnsSync(const Napi::CallbackInfo& info) {
  ScaleArgs g;
  if (!ParseScale(info, false, &g)) return info.Env().Undefined();
  ScaleColumns(g.rows, g.cols, g.A.data, g.s.data);
  return Napi::Value(info.Env(), g.A.value);
}

Napi::Value ScaleColumnsAsync(const Napi::CallbackInfo& info) {
  ScaleArgs g;
  if (!ParseScale(info, false, &g)) return info.Env().Undefined();
  return Job::Run(info.Env(), "scaleColumns", [g] { ScaleColumns(g.rows, g.cols, g.A.data, g.s.data); return Status::Ok(); }, {g.A, g.s}, g.A.value);
}

// scaleRowsAsync(rows, cols, A, s) -> Promise<A>: row i of A times s[i], in place.
Napi::Value ScaleRowsAsync(const Napi::CallbackInfo& info) {
  ScaleArgs g;
  if (!ParseScale(info, true, &g)) return info.Env().Undefined();
  return Job::Run(info.Env(), "scaleRows", [g] { ScaleRows(g.rows, g.cols, g.A.data, g.s.data); return Status::Ok(); }, {g.A, g.s}, g.A.value);
}

// rowNorms2Scaled(rows, cols, A, s, out) -> out and rowNorms2ScaledAsync(…) -> Promise<out>:
// out[i] = sum_j (A[i, j] s[j])^2 (the sync one for callers that cannot wait, on small operators).
struct RowNormsArgs {
  int rows = 0, cols = 0;
  F64 A, s, out;
};

bool ParseRowNorms(const Napi::CallbackInfo& info, RowNormsArgs* a) {
  Napi::Env env = info.Env();
  int64_t rows, cols;
  size_t len;
  if (!ArgCount(info, 5) || !ArgInt(info, 0, "rows", 0, kMaxDim, &rows) || !ArgInt(info, 1, "cols", 0, kMaxDim, &cols) ||
      !Size(env, "A", rows, cols, &len) || !ArgF64(info, 2, "A", len, &a->A) || !ArgF64Finite(info, 3, "s", size_t(cols), &a->s) ||
      !ArgF64(info, 4, "out", size_t(rows), &a->out) || !Disjoint(env, a->A, "A", a->out, "out") || !Disjoint(env, a->s, "s", a->out, "out"))
    return false;
  a->rows = int(rows);
  a->cols = int(cols);
  return true;
}

Napi::Value RowNorms2ScaledSync(const Napi::CallbackInfo& info) {
  RowNormsArgs a;
  if (!ParseRowNorms(info, &a)) return info.Env().Undefined();
  RowNorms2Scaled(a.rows, a.cols, a.A.data, a.s.data, a.out.data);
  return Napi::Value(info.Env(), a.out.value);
}

Napi::Value RowNorms2ScaledAsync(const Napi::CallbackInfo& info) {
  RowNormsArgs a;
  if (!ParseRowNorms(info, &a)) return info.Env().Undefined();
  return Job::Run(info.Env(), "rowNorms2Scaled", [=] { RowNorms2Scaled(a.rows, a.cols, a.A.data, a.s.data, a.out.data); return Status::Ok(); },
                  {a.A, a.s, a.out}, a.out.value);
}

// gatherColumnsAsync(rows, A, cols, out) -> Promise<out>: out's column j = A's column cols[j]
// (indices as doubles, checked to be whole and inside A).
Napi::Value GatherColumnsAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t rows;
  F64 A, cols, out;
  napi_typedarray_type t;
  size_t lenA = 0, lenCols = 0;
  if (!ArgCount(info, 4) || !ArgInt(info, 0, "rows", 1, kMaxDim, &rows)) return env.Undefined();
  for (auto [i, len] : {std::pair<int, size_t*>{1, &lenA}, {2, &lenCols}}) {
    bool typed = false;
    napi_is_typedarray(env, info[i], &typed);
    if (!typed) { Napi::TypeError::New(env, "Expected Float64Array for argument " + std::to_string(i)).ThrowAsJavaScriptException(); return env.Undefined(); }
    napi_get_typedarray_info(env, info[i], &t, len, nullptr, nullptr, nullptr);
  }
  size_t outLen;
  if (!ArgF64(info, 1, "A", lenA, &A) || !ArgF64Finite(info, 2, "cols", lenCols, &cols) || !Size(env, "out", rows, int64_t(lenCols), &outLen) ||
      !ArgF64(info, 3, "out", outLen, &out) || !Disjoint(env, A, "A", out, "out"))
    return env.Undefined();
  const double ncolA = double(lenA / size_t(rows));
  for (size_t j = 0; j < lenCols; j++) {
    if (cols.data[j] < 0 || cols.data[j] >= ncolA || cols.data[j] != double(int64_t(cols.data[j]))) {
      ArgFail(env, "Expected column indices in [0, " + std::to_string(int64_t(ncolA)) + ") for cols but received " + std::to_string(cols.data[j]));
      return env.Undefined();
    }
  }
  const int r = int(rows), n = int(lenCols);
  return Job::Run(env, "gatherColumns", [=] { GatherColumns(r, A.data, cols.data, n, out.data); return Status::Ok(); }, {A, cols, out}, out.value);
}

// divideAsync(A, d) -> Promise<A>: every element of A divided by d, in place (not multiplied by 1/d: the same bits as A / d).
Napi::Value DivideAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  napi_typedarray_type t;
  size_t len = 0;
  bool typed = false;
  double d;
  if (!ArgCount(info, 2)) return env.Undefined();
  napi_is_typedarray(env, info[0], &typed);
  if (!typed) { Napi::TypeError::New(env, "Expected Float64Array for A").ThrowAsJavaScriptException(); return env.Undefined(); }
  napi_get_typedarray_info(env, info[0], &t, &len, nullptr, nullptr, nullptr);
  F64 A;
  if (!ArgF64(info, 0, "A", len, &A) || !ArgFinite(info, 1, "d", &d)) return env.Undefined();
  return Job::Run(env, "divide", [=] { DivideInPlace(len, A.data, d); return Status::Ok(); }, {A}, A.value);
}

// widenBigEndianAsync(src, byteOffset, width, n, ncol, out, outRows, rowOffset, stats) -> Promise<stats>
// stats[0] = the number of non-finite values.
Napi::Value WidenBigEndianAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t offset, width, n, ncol, outRows, rowOffset;
  U8 src;
  F64 out, stats;
  size_t outLen;
  if (!ArgCount(info, 9) || !ArgInt(info, 1, "byteOffset", 0, INT64_MAX / 2, &offset) || !ArgInt(info, 2, "width", 4, 8, &width) ||
      !ArgInt(info, 3, "n", 0, kMaxDim, &n) || !ArgInt(info, 4, "ncol", 0, kMaxDim, &ncol) ||
      !ArgInt(info, 6, "outRows", 0, kMaxDim, &outRows) || !ArgInt(info, 7, "rowOffset", 0, kMaxDim, &rowOffset))
    return env.Undefined();
  if (width != 4 && width != 8) { ArgFail(env, "Expected width 4 or 8 but received " + std::to_string(width)); return env.Undefined(); }
  if (rowOffset + n > outRows) { ArgFail(env, "Expected rowOffset + n <= outRows but received " + std::to_string(rowOffset + n) + " > " + std::to_string(outRows)); return env.Undefined(); }
  const size_t bytes = size_t(n) * size_t(ncol) * size_t(width);
  if (!ArgU8(info, 0, "src", size_t(offset) + bytes, &src) || !Size(env, "out", outRows, ncol, &outLen) ||
      !ArgF64(info, 5, "out", outLen, &out) || !ArgF64(info, 8, "stats", 1, &stats))
    return env.Undefined();
  const unsigned char* p = src.data + offset;
  const int w = int(width), rows = int(n), cols = int(ncol), oRows = int(outRows), rOff = int(rowOffset);
  F64 keepSrc;
  keepSrc.value = src.value;
  return Job::Run(env, "widenBigEndian", [=] {
    stats.data[0] = double(WidenBigEndian(p, w, rows, cols, out.data, oRows, rOff));
    return Status::Ok();
  }, {keepSrc, out, stats}, stats.value);
}

// depthGramsF32Async(nrow, ns, G, nr, rows, d) -> Promise<d>: rows are nr row indices (as doubles) into G.
Napi::Value DepthGramsF32Async(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t nrow, ns, nr;
  F64 G, rows, d;
  size_t gLen;
  if (!ArgCount(info, 6) || !ArgInt(info, 0, "nrow", 0, kMaxDim, &nrow) || !ArgInt(info, 1, "ns", 0, kMaxDim / 3, &ns) ||
      !Size(env, "G", nrow, 3 * ns, &gLen) || !ArgF64(info, 2, "G", gLen, &G) || !ArgInt(info, 3, "nr", 0, kMaxDim, &nr) ||
      !ArgF64Finite(info, 4, "rows", size_t(nr), &rows) || !ArgF64(info, 5, "d", size_t(ns), &d) || !Disjoint(env, G, "G", d, "d"))
    return env.Undefined();
  for (size_t q = 0; q < rows.length; q++) {
    const double r = rows.data[q];
    if (!(r >= 0 && r < double(nrow) && r == std::floor(r))) {
      ArgFail(env, "Expected row indices in [0, " + std::to_string(nrow) + ") for rows but received " + std::to_string(r));
      return env.Undefined();
    }
  }
  const int n = int(nrow), s = int(ns), count = int(nr);
  return Job::Run(env, "depthGramsF32", [=] { DepthGramsF32(n, s, G.data, rows.data, count, d.data); return Status::Ok(); }, {G, rows, d}, d.value);
}

// rotateSourcesInPlaceAsync(rows, ns, A, basis, norms2) -> Promise<norms2>: norms2 (3ns) receives
// the squared norms of the rotated columns.
Napi::Value RotateSourcesInPlaceAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t rows, ns;
  F64 A, basis, norms2;
  size_t aLen, bLen;
  if (!ArgCount(info, 5) || !ArgInt(info, 0, "rows", 0, kMaxDim, &rows) || !ArgInt(info, 1, "ns", 0, kMaxDim / 9, &ns) ||
      !Size(env, "A", rows, 3 * ns, &aLen) || !ArgF64(info, 2, "A", aLen, &A) || !Size(env, "basis", ns, 9, &bLen) ||
      !ArgF64Finite(info, 3, "basis", bLen, &basis) || !ArgF64(info, 4, "norms2", size_t(3 * ns), &norms2) ||
      !Disjoint(env, A, "A", basis, "basis") || !Disjoint(env, A, "A", norms2, "norms2"))
    return env.Undefined();
  const int r = int(rows), n = int(ns);
  return Job::Run(env, "rotateSourcesInPlace", [=] { RotateSourcesInPlace(r, n, A.data, basis.data, norms2.data); return Status::Ok(); },
                  {A, basis, norms2}, norms2.value);
}

}  // namespace

void RegisterKernels(Napi::Env env, Napi::Object exports) {
  exports.Set("normalOrthAsync", Napi::Function::New(env, NormalOrthAsync, "normalOrthAsync"));
  exports.Set("rotateSourcesAsync", Napi::Function::New(env, RotateSourcesAsync, "rotateSourcesAsync"));
  exports.Set("widenBigEndianAsync", Napi::Function::New(env, WidenBigEndianAsync, "widenBigEndianAsync"));
  exports.Set("depthGramsF32Async", Napi::Function::New(env, DepthGramsF32Async, "depthGramsF32Async"));
  exports.Set("rotateSourcesInPlaceAsync", Napi::Function::New(env, RotateSourcesInPlaceAsync, "rotateSourcesInPlaceAsync"));
  exports.Set("columnNorms2Async", Napi::Function::New(env, ColumnNorms2Async, "columnNorms2Async"));
  exports.Set("scaleColumns", Napi::Function::New(env, ScaleColumnsSync, "scaleColumns"));
  exports.Set("scaleColumnsAsync", Napi::Function::New(env, ScaleColumnsAsync, "scaleColumnsAsync"));
  exports.Set("gatherColumnsAsync", Napi::Function::New(env, GatherColumnsAsync, "gatherColumnsAsync"));
  exports.Set("divideAsync", Napi::Function::New(env, DivideAsync, "divideAsync"));
  exports.Set("scaleRowsAsync", Napi::Function::New(env, ScaleRowsAsync, "scaleRowsAsync"));
  exports.Set("rowNorms2Scaled", Napi::Function::New(env, RowNorms2ScaledSync, "rowNorms2Scaled"));
  exports.Set("rowNorms2ScaledAsync", Napi::Function::New(env, RowNorms2ScaledAsync, "rowNorms2ScaledAsync"));
}

}  // namespace mxne
