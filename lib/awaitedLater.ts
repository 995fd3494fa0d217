/**
 * A promise started now and awaited later, so that its work runs beside other work. It is marked
 * handled at once: if it rejects before the code that awaits it gets there (or that code fails
 * first and never does), Node would report an unhandled rejection and end the process. Awaiting
 * it still throws its error.
 */
export function awaitedLater<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}
