package dev.offload.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.BiFunction;

/**
 * A store role (an interface such as {@code Completion}) that forwards every call to a real one,
 * except where a test makes a call fail: {@code fault} sees the method name and arguments and
 * returns the exception to throw instead of calling the real role, or null to let the call through.
 */
public final class FaultyStore {
  private FaultyStore() {}

  public static <T> T around(
      Class<T> role, T real, BiFunction<String, Object[], RuntimeException> fault) {
    return role.cast(
        Proxy.newProxyInstance(
            role.getClassLoader(),
            new Class<?>[] {role},
            (proxy, method, args) -> {
              RuntimeException failure = fault.apply(method.getName(), args);
              if (failure != null) throw failure;
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }));
  }
}
