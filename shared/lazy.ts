/**
 * A value built on first use and kept (a module imported with `await import()` and the
 * client made from it); a failed build is forgotten so the next call tries again.
 * `current()` is the value if it was ever asked for, without building it.
 *
 * @example const tasks = lazy(async () => new (await import('@google-cloud/tasks')).CloudTasksClient());
 */
export function lazy<T>(build: () => Promise<T>): { get(): Promise<T>; current(): Promise<T> | undefined } {
  let value: Promise<T> | undefined;
  return {
    get() {
      if (!value) {
        value = build();
        value.catch(() => {
          value = undefined;
        });
      }
      return value;
    },
    current: () => value,
  };
}
