package dev.ganeval.core.torch;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The allow-list: the only Python globals a checkpoint may name, the same kind of list torch.load(weights_only=True)
 * keeps. A global is looked up here when its GLOBAL or STACK_GLOBAL opcode is read; anything else ends the read with
 * its name before any object is built from it. Nothing named here is Python code: each entry stands for one thing
 * the {@link Unpickler} knows how to build from plain values.
 */
final class Globals {
    private Globals() {}

    /** The callables a REDUCE may call. */
    enum Callable {
        ORDERED_DICT("collections.OrderedDict"),
        SET("builtins.set"),
        FROZENSET("builtins.frozenset"),
        /** {@code _codecs.encode(str, "latin1")}: how protocol 2 pickles bytes. */
        ENCODE("_codecs.encode"),
        REBUILD_TENSOR("torch._utils._rebuild_tensor"),
        REBUILD_TENSOR_V2("torch._utils._rebuild_tensor_v2"),
        REBUILD_TENSOR_V3("torch._utils._rebuild_tensor_v3"),
        REBUILD_PARAMETER("torch._utils._rebuild_parameter"),
        REBUILD_PARAMETER_WITH_STATE("torch._utils._rebuild_parameter_with_state");

        final String pythonName;

        Callable(String pythonName) {
            this.pythonName = pythonName;
        }
    }

    /** A storage class: typed (FloatStorage ...) or untyped bytes ({@code dtype == null}). */
    record StorageClass(String pythonName, Tensor.DType dtype) {}

    /**
     * A class TorchScript compiled (a scripted or traced module): {@code __torch__.<module path>.<name>}, allowed only
     * in a TorchScript archive's {@code data.pkl}, where it stands for an object holding attributes.
     */
    record ScriptClass(String qualifiedName) {
        /** True for TorchScript's namespace: {@code __torch__} and the modules under it. */
        static boolean names(String module) {
            return module.equals("__torch__") || module.startsWith("__torch__.");
        }
    }

    /** A dtype object such as {@code torch.float32}, an argument of {@code _rebuild_tensor_v3}. */
    record DTypeValue(String pythonName, Tensor.DType dtype) {}

    private static final Map<String, Object> ALLOWED = new HashMap<>();

    static {
        for (Callable c : Callable.values()) {
            ALLOWED.put(c.pythonName, c);
        }
        // Protocol 2 pickles written by Python 3 name builtins by their Python 2 module.
        ALLOWED.put("__builtin__.set", Callable.SET);
        ALLOWED.put("__builtin__.frozenset", Callable.FROZENSET);
        storage("torch.FloatStorage", Tensor.DType.FLOAT32);
        storage("torch.DoubleStorage", Tensor.DType.FLOAT64);
        storage("torch.HalfStorage", Tensor.DType.FLOAT16);
        storage("torch.BFloat16Storage", Tensor.DType.BFLOAT16);
        storage("torch.LongStorage", Tensor.DType.INT64);
        storage("torch.UntypedStorage", null);          // torch 2
        storage("torch.storage.UntypedStorage", null);  // torch 1.13
        dtype("torch.float32", Tensor.DType.FLOAT32);
        dtype("torch.float64", Tensor.DType.FLOAT64);
        dtype("torch.float16", Tensor.DType.FLOAT16);
        dtype("torch.bfloat16", Tensor.DType.BFLOAT16);
        dtype("torch.int64", Tensor.DType.INT64);
    }

    private static void storage(String name, Tensor.DType dtype) {
        ALLOWED.put(name, new StorageClass(name, dtype));
    }

    private static void dtype(String name, Tensor.DType dtype) {
        ALLOWED.put(name, new DTypeValue(name, dtype));
    }

    /** Element types torch has that this reader does not read, named so the refusal can say so. */
    private static final Set<String> OTHER_DTYPES = Set.of("uint8", "int8", "int16", "int32", "bool", "complex32",
            "complex64", "complex128", "qint8", "quint8", "qint32", "quint4x2", "quint2x4", "uint16", "uint32",
            "uint64", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz");

    /**
     * The object a global stands for, or null when it is not allowed ({@link #refusal} says why).
     *
     * @return a {@link Callable}, {@link StorageClass} or {@link DTypeValue}, or null
     */
    static Object resolve(String module, String name) {
        return ALLOWED.get(module + "." + name);
    }

    /** Why a global {@link #resolve} does not know is refused, naming it. */
    static String refusal(String module, String name) {
        String full = module + "." + name;
        if (module.equals("torch") && (name.endsWith("Storage") || OTHER_DTYPES.contains(name))) {
            return "global " + full + " is a tensor type this reader does not support"
                    + " (it reads float32, float64, float16, bfloat16 and int64 tensors)";
        }
        return "global " + full + " is not allowed: a state dict needs only collections.OrderedDict, torch._utils'"
                + " tensor rebuild functions and torch's storage and dtype types; like torch.load(weights_only=True),"
                + " nothing else a checkpoint names is loaded";
    }
}
