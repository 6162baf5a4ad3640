// AdaptiveMutex: the lock for short critical sections that many threads
// take on every route (the in-memory store's claim lock). A waiter spins a
// little before it sleeps: the holder is running on another core and is
// about to let go, so sleeping in the kernel and being woken would cost far
// more than the section it waited for. std::mutex sleeps at once; with it,
// two threads routing together ran slower than one.
//
// glibc's PTHREAD_MUTEX_ADAPTIVE_NP does the spinning (bounded, then the
// futex like any mutex, so a long section such as SaveState costs waiters
// no CPU). Elsewhere it is a plain pthread mutex. Satisfies Lockable, for
// std::lock_guard.
#ifndef LEADROUTE_UTIL_ADAPTIVE_MUTEX_H_
#define LEADROUTE_UTIL_ADAPTIVE_MUTEX_H_

#include <pthread.h>

namespace leadroute::internal {

class AdaptiveMutex {
 public:
  AdaptiveMutex() noexcept {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
#ifdef PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
#endif
    pthread_mutex_init(&mu_, &attr);
    pthread_mutexattr_destroy(&attr);
  }
  ~AdaptiveMutex() { pthread_mutex_destroy(&mu_); }
  AdaptiveMutex(const AdaptiveMutex&) = delete;
  AdaptiveMutex& operator=(const AdaptiveMutex&) = delete;

  void lock() noexcept { pthread_mutex_lock(&mu_); }
  bool try_lock() noexcept { return pthread_mutex_trylock(&mu_) == 0; }
  void unlock() noexcept { pthread_mutex_unlock(&mu_); }

 private:
  pthread_mutex_t mu_;
};

}  // namespace leadroute::internal

#endif  // LEADROUTE_UTIL_ADAPTIVE_MUTEX_H_
