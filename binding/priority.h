// Thread priority for native jobs (binding/priority.cc).
#pragma once

namespace mxne {
// Raises the calling thread's nice value to the target set by setJobNice, once per thread and
// target; called at the start of every async job's Execute (libuv pool threads).
void ApplyJobPriority();
}  // namespace mxne
