// Argument guards shared by every export: one line per argument, uniform messages, and the only
// place that touches napi_get_typedarray_info (one call per array; toolchain.md §8).
// On failure each guard throws TypeError/RangeError naming the argument and returns false.
#pragma once
#include <napi.h>
#include <cstddef>
#include <cstdint>
#include <string>

namespace mxne {

struct F64 {
  double* data = nullptr;
  size_t length = 0;
  napi_value value = nullptr;  // kept so async jobs can hold a reference
};

// A Uint8Array (e.g. a Node Buffer) of at least `minLength` bytes; `value` kept for async jobs.
struct U8 {
  const uint8_t* data = nullptr;
  size_t length = 0;
  napi_value value = nullptr;
};

bool ArgCount(const Napi::CallbackInfo& info, size_t expected);
// Throws RangeError(message) and returns false, for checks that relate several arguments.
bool ArgFail(Napi::Env env, const std::string& message);
bool ArgU8(const Napi::CallbackInfo& info, size_t i, const char* name, size_t minLength, U8* out);
// A Float64Array of exactly `length` elements (subarray views allowed).
bool ArgF64(const Napi::CallbackInfo& info, size_t i, const char* name, size_t length, F64* out);
// Same, and every element finite (for LAPACK inputs, where NaN can loop or return garbage).
bool ArgF64Finite(const Napi::CallbackInfo& info, size_t i, const char* name, size_t length, F64* out);
bool ArgInt(const Napi::CallbackInfo& info, size_t i, const char* name, int64_t lo, int64_t hi, int64_t* out);
bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* name, bool* out);
bool ArgFinite(const Napi::CallbackInfo& info, size_t i, const char* name, double* out);
// The same guards on a value (e.g. a field of an options object, `options.Get("maxit")`).
bool ValF64(Napi::Env env, Napi::Value v, const char* name, size_t length, F64* out);
bool ValF64Finite(Napi::Env env, Napi::Value v, const char* name, size_t length, F64* out);
// Index of the first non-finite value of d[0..n), n if none (branch-free over chunks).
size_t FirstNonFinite(const double* d, size_t n);
// Every value finite in the columns cols[0..n) of a (rows per column; cols null: the first n columns):
// for kernels that read only some columns of a large array.
bool ColumnsFinite(Napi::Env env, const F64& a, const char* name, size_t rows, const int32_t* cols, size_t n);
bool ValInt(Napi::Env env, Napi::Value v, const char* name, int64_t lo, int64_t hi, int64_t* out);
bool ValBool(Napi::Env env, Napi::Value v, const char* name, bool* out);
bool ValFinite(Napi::Env env, Napi::Value v, const char* name, double* out);
bool ArgObject(const Napi::CallbackInfo& info, size_t i, const char* name, Napi::Object* out);
// An Int32Array of exactly `length` elements (the cancellation cell of a solve).
bool ValInt32Array(Napi::Env env, Napi::Value v, const char* name, size_t length, int32_t** out, napi_value* keep);
// rows * cols with an overflow check against BLAS's 32-bit int dimensions.
bool Size(Napi::Env env, const char* name, int64_t rows, int64_t cols, size_t* out);
// Two arrays must not share memory when one of them is written (BLAS forbids aliasing).
bool Disjoint(Napi::Env env, const F64& a, const char* aName, const F64& b, const char* bName);

}  // namespace mxne
