package dev.offload.testing;

import dev.offload.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.BiFunction;

/**
 * A {@link Store} that forwards every call to a real one, except where a test makes a call fail:
 * {@code fault} sees the method name and arguments and returns the exception to throw instead of
 * calling the real store, or null to let the call through.
 */
public final class FaultyStore {
  private FaultyStore() {}

  public static Store around(Store real, BiFunction<String, Object[], RuntimeException> fault) {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (proxy, method, args) -> {
      RuntimeException failure = fault.apply(method.getName(), args);
      if (failure != null) throw failure;
      try {
        return method.invoke(real, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }
}
