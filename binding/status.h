// Outcome of a pure kernel: ok, or a LAPACK failure (info != 0) / a kernel-level message.
#pragma once
#include <napi.h>

#include <string>

namespace mxne {

struct Status {
  int info = 0;          // LAPACK info, 0 when ok
  std::string message;   // empty when ok
  bool ok() const { return message.empty(); }
  static Status Ok() { return Status{}; }
  static Status Lapack(const char* routine, int info);
  static Status Fail(const std::string& message) { return Status{-1, message}; }
  // The caller asked the job to stop (code 'EABORT'); nothing it wrote is a result.
  static Status Cancelled() { return Status{-2, "cancelled"}; }
  // A bad argument found while the kernel ran (a RangeError, as the argument guards throw).
  static Status Range(const std::string& message) { return Status{-3, message}; }
};

// The JS error for a failed kernel: Error with code 'ELAPACK' (or 'EKERNEL', 'EABORT'), op and info;
// a RangeError for Status::Range.
Napi::Error ToError(Napi::Env env, const std::string& op, const Status& s);

}  // namespace mxne
