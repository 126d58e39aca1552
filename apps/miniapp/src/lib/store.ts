import { useSyncExternalStore } from 'react'

/** A tiny observable value for app-wide state (locale, session) that every mounted page re-renders on. */
export interface Store<T> {
  get(): T
  set(value: T): void
  subscribe(listener: () => void): () => void
}

export function createStore<T>(init: () => T): Store<T> {
  let loaded = false
  let value: T
  const listeners = new Set<() => void>()
  return {
    get() {
      if (!loaded) {
        value = init()
        loaded = true
      }
      return value
    },
    set(next) {
      value = next
      loaded = true
      for (const listener of [...listeners]) listener()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** Subscribes a component to a store. */
export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get)
}
