package dev.ganeval.core.torch;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A pickle machine for the opcodes torch.save writes (protocol 2, and protocols 3 and 4's byte strings, short strings,
 * frames, memoize and stack-global), that builds only plain values and what {@link Globals} allows. Nothing in the
 * data is executed: a global outside the allow-list is refused by name when its opcode is read, REDUCE calls only the
 * allow-listed callables (each implemented here), BUILD only sets attributes of an OrderedDict (torch's
 * {@code _metadata}, ignored), and the opcodes that create arbitrary objects (NEWOBJ, NEWOBJ_EX, INST, OBJ, the
 * extension registry) or out-of-band buffers are refused. The one exception, only where the caller reads a TorchScript
 * archive's {@code data.pkl}: a class named under {@code __torch__} (a scripted or traced module, whose methods live
 * in the archive's TorchScript code, never run here) may be created with NEWOBJ and no arguments and given a dict of
 * attributes by BUILD, as a {@link ScriptObject}: a name and its attributes, nothing more.
 *
 * <p>Values: None is {@code null}; bool {@link Boolean}; int {@link Long} or, beyond 64 bits, {@link BigInteger};
 * float {@link Double}; str {@link String}; bytes {@link Bytes}; tuple {@link Tuple}; list {@link ArrayList}; dict
 * {@link Dict} ({@link OrderedDict} for collections.OrderedDict); set and frozenset {@link PySet}; storages and
 * tensors whatever the {@link PersistentLoader} and {@link TensorRef} make. Dict keys and set members must be str,
 * int, float, bool or None, one type per dict or set: their hashes are cheap and, those types being Comparable,
 * HashMap's collision trees stay logarithmic, so no hash or equality walks a deep or cyclic structure and keys made
 * to collide cannot make a dict quadratic. A work budget proportional to the pickle's length bounds the copying a
 * small pickle could ask for by reusing memoized values, so every pickle is read in time linear in its length.
 */
final class Unpickler {
    /** Turns a persistent id (the tuple torch writes for a storage) into a storage, or refuses it. */
    interface PersistentLoader {
        Object load(Object pid);
    }

    /** A refusal without a position; {@link #load} adds it. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    /** Python's tuple. */
    static final class Tuple {
        static final Tuple EMPTY = new Tuple(new Object[0]);

        private final Object[] items;

        Tuple(Object[] items) {
            this.items = items;
        }

        int size() {
            return items.length;
        }

        Object get(int i) {
            return items[i];
        }

        List<Object> asList() {
            return Collections.unmodifiableList(Arrays.asList(items));
        }
    }

    /** Python's bytes. */
    record Bytes(byte[] value) {}

    /** Python's dict, in insertion order; its keys all of one type. */
    static class Dict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
        private Class<?> keyType;

        void putChecked(Object k, Object v) {
            keyType = keyType(keyType, k);
            put(k, v);
        }
    }

    /** A collections.OrderedDict: a dict that BUILD may give attributes (ignored). */
    static final class OrderedDict extends Dict {
        private static final long serialVersionUID = 1L;
    }

    /** A TorchScript module or object: its class's qualified name and the attributes BUILD gave it. */
    static final class ScriptObject {
        final String className;
        private Map<String, Object> attributes;

        ScriptObject(String className) {
            this.className = className;
        }

        /** Its attributes in the file's order; empty until BUILD sets them. */
        Map<String, Object> attributes() {
            return attributes == null ? Map.of() : Collections.unmodifiableMap(attributes);
        }
    }

    /** Python's set or frozenset, in insertion order; its members all of one type. */
    static final class PySet extends LinkedHashSet<Object> {
        private static final long serialVersionUID = 1L;
        final boolean frozen;
        private Class<?> memberType;

        PySet(boolean frozen) {
            this.frozen = frozen;
        }

        void addChecked(Object o) {
            memberType = keyType(memberType, o);
            add(o);
        }
    }

    private static final int MAX_LINE = 1024;

    private static final int MARK = '(', STOP = '.', POP = '0', POP_MARK = '1', DUP = '2', BININT = 'J',
            BININT1 = 'K', BININT2 = 'M', NONE = 'N', BINPERSID = 'Q', REDUCE = 'R', BINSTRING = 'T',
            SHORT_BINSTRING = 'U', BINUNICODE = 'X', APPEND = 'a', BUILD = 'b', GLOBAL = 'c', DICT = 'd',
            EMPTY_DICT = '}', APPENDS = 'e', BINGET = 'h', INST = 'i', LONG_BINGET = 'j', LIST = 'l',
            EMPTY_LIST = ']', OBJ = 'o', BINPUT = 'q', LONG_BINPUT = 'r', SETITEM = 's', TUPLE = 't',
            EMPTY_TUPLE = ')', SETITEMS = 'u', BINFLOAT = 'G', BINBYTES = 'B', SHORT_BINBYTES = 'C';
    private static final int PROTO = 0x80, NEWOBJ = 0x81, TUPLE1 = 0x85, TUPLE2 = 0x86, TUPLE3 = 0x87,
            NEWTRUE = 0x88, NEWFALSE = 0x89, LONG1 = 0x8a, LONG4 = 0x8b, SHORT_BINUNICODE = 0x8c,
            BINUNICODE8 = 0x8d, BINBYTES8 = 0x8e, EMPTY_SET = 0x8f, ADDITEMS = 0x90, FROZENSET = 0x91,
            NEWOBJ_EX = 0x92, STACK_GLOBAL = 0x93, MEMOIZE = 0x94, FRAME = 0x95;

    private final ByteInput in;
    private final PersistentLoader loader;
    private final boolean scriptObjects;
    private final ArrayList<Object> stack = new ArrayList<>();
    private int[] marks = new int[16];
    private int markCount;
    private final Map<Long, Object> memo = new HashMap<>();
    private final long workLimit;
    private long work;

    /**
     * @param loader the storages' loader, or null for a pickle that must hold no persistent ids
     */
    Unpickler(ByteInput in, PersistentLoader loader) {
        this(in, loader, false);
    }

    /**
     * @param loader        the storages' loader, or null for a pickle that must hold no persistent ids
     * @param scriptObjects true for a TorchScript archive's {@code data.pkl}: {@code __torch__} classes become
     *                      {@link ScriptObject}s
     */
    Unpickler(ByteInput in, PersistentLoader loader, boolean scriptObjects) {
        this.in = in;
        this.loader = loader;
        this.scriptObjects = scriptObjects;
        this.workLimit = 16 * in.remaining() + (1 << 20);
    }

    /** Reads one pickle, through its STOP opcode, and returns its value. */
    Object load() {
        while (true) {
            long at = in.position();
            int op = in.u8("a pickle opcode");
            try {
                if (op == STOP) {
                    return pop();
                }
                step(op);
            } catch (Refusal r) {
                throw in.fail(at, r.getMessage());
            }
        }
    }

    private void step(int op) {
        switch (op) {
            case MARK -> {
                if (markCount == marks.length) {
                    marks = Arrays.copyOf(marks, 2 * markCount);
                }
                marks[markCount++] = stack.size();
            }
            case POP -> {
                if (stack.size() > floor()) {
                    stack.remove(stack.size() - 1);
                } else {
                    popMark();
                }
            }
            case POP_MARK -> popMark();
            case DUP -> push(top());
            case NONE -> push(null);
            case NEWTRUE -> push(Boolean.TRUE);
            case NEWFALSE -> push(Boolean.FALSE);
            case BININT -> push((long) (int) in.le(4, "BININT"));
            case BININT1 -> push((long) in.u8("BININT1"));
            case BININT2 -> push(in.le(2, "BININT2"));
            case LONG1 -> push(integer(in.bytes(in.u8("LONG1"), "LONG1")));
            case LONG4 -> push(integer(in.bytes((int) in.le(4, "LONG4"), "LONG4")));
            case BINFLOAT -> push(Double.longBitsToDouble(Long.reverseBytes(in.le(8, "BINFLOAT"))));
            case SHORT_BINSTRING -> push(text(in.bytes(in.u8("SHORT_BINSTRING"), "SHORT_BINSTRING")));
            case BINSTRING -> push(text(in.bytes((int) in.le(4, "BINSTRING"), "BINSTRING")));
            case SHORT_BINUNICODE -> push(text(in.bytes(in.u8("SHORT_BINUNICODE"), "SHORT_BINUNICODE")));
            case BINUNICODE -> push(text(in.bytes(in.le(4, "BINUNICODE"), "BINUNICODE")));
            case BINUNICODE8 -> push(text(in.bytes(in.le(8, "BINUNICODE8"), "BINUNICODE8")));
            case SHORT_BINBYTES -> push(new Bytes(in.bytes(in.u8("SHORT_BINBYTES"), "SHORT_BINBYTES")));
            case BINBYTES -> push(new Bytes(in.bytes(in.le(4, "BINBYTES"), "BINBYTES")));
            case BINBYTES8 -> push(new Bytes(in.bytes(in.le(8, "BINBYTES8"), "BINBYTES8")));
            case EMPTY_TUPLE -> push(Tuple.EMPTY);
            case TUPLE -> push(new Tuple(popMark().toArray()));
            case TUPLE1, TUPLE2, TUPLE3 -> {
                Object[] items = new Object[op - TUPLE1 + 1];
                for (int i = items.length - 1; i >= 0; i--) {
                    items[i] = pop();
                }
                push(new Tuple(items));
            }
            case EMPTY_LIST -> push(new ArrayList<>());
            case LIST -> push(new ArrayList<>(popMark()));
            case APPEND -> {
                Object v = pop();
                list(top()).add(v);
            }
            case APPENDS -> {
                List<Object> items = popMark();
                list(top()).addAll(items);
            }
            case EMPTY_DICT -> push(new Dict());
            case DICT -> {
                Dict d = new Dict();
                putPairs(d, popMark());
                push(d);
            }
            case SETITEM -> {
                Object v = pop();
                Object k = pop();
                dict(top()).putChecked(k, v);
            }
            case SETITEMS -> {
                List<Object> items = popMark();
                putPairs(dict(top()), items);
            }
            case EMPTY_SET -> push(new PySet(false));
            case ADDITEMS -> {
                List<Object> items = popMark();
                Object target = top();
                if (!(target instanceof PySet set) || set.frozen) {
                    throw new Refusal("ADDITEMS to " + describe(target) + ", not a set");
                }
                addAll(set, items);
            }
            case FROZENSET -> {
                PySet set = new PySet(true);
                addAll(set, popMark());
                push(set);
            }
            case GLOBAL -> {
                String module = line("GLOBAL's module");
                push(global(module, line("GLOBAL's name")));
            }
            case STACK_GLOBAL -> {
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new Refusal("STACK_GLOBAL needs two strings, got " + describe(module) + " and " + describe(name));
                }
                push(global(m, n));
            }
            case REDUCE -> {
                Object args = pop();
                Object fn = pop();
                if (!(args instanceof Tuple t)) {
                    throw new Refusal("REDUCE's arguments are " + describe(args) + ", not a tuple");
                }
                push(call(fn, t));
            }
            case BUILD -> {
                Object state = pop();
                Object target = top();
                if (target instanceof ScriptObject o) {
                    build(o, state);
                } else if (!(target instanceof OrderedDict)) {
                    throw new Refusal("BUILD (setting an object's state) is allowed only on an OrderedDict"
                            + (scriptObjects ? " or a TorchScript object" : "") + ", not on " + describe(target));
                }
            }
            case BINPERSID -> {
                Object pid = pop();
                if (loader == null) {
                    throw new Refusal("a persistent id where none belongs");
                }
                push(loader.load(pid));
            }
            case BINGET -> push(memoGet(in.u8("BINGET")));
            case LONG_BINGET -> push(memoGet(in.le(4, "LONG_BINGET")));
            case BINPUT -> memo.put((long) in.u8("BINPUT"), top());
            case LONG_BINPUT -> memo.put(in.le(4, "LONG_BINPUT"), top());
            case MEMOIZE -> memo.put((long) memo.size(), top());
            case PROTO -> {
                int version = in.u8("PROTO");
                if (version > 5) {
                    throw new Refusal("pickle protocol " + version + " is newer than any Python writes (5)");
                }
            }
            case FRAME -> {
                long n = in.le(8, "FRAME");
                if (n < 0 || n > in.remaining()) {
                    throw new Refusal("truncated: a frame claims " + Long.toUnsignedString(n) + " bytes, "
                            + in.remaining() + " remain");
                }
            }
            case INST -> {
                String module = line("INST's module");
                String name = line("INST's name");
                throw new Refusal("INST (creating an object of a class) is not allowed; "
                        + (Globals.resolve(module, name) == null ? Globals.refusal(module, name) : "class " + module + "." + name));
            }
            case NEWOBJ -> {
                Object args = pop();
                Object cls = pop();
                if (!(cls instanceof Globals.ScriptClass c) || !(args instanceof Tuple t) || t.size() != 0) {
                    throw new Refusal("creating an object of a class (opcode NEWOBJ) is not allowed"
                            + (scriptObjects ? " except a TorchScript class's, with no arguments" : ""));
                }
                spend(1);
                push(new ScriptObject(c.qualifiedName()));
            }
            case NEWOBJ_EX, OBJ -> throw new Refusal("creating an object of a class (opcode "
                    + (op == OBJ ? "OBJ" : "NEWOBJ_EX") + ") is not allowed");
            default -> throw new Refusal(String.format("unknown or unsupported pickle opcode 0x%02x", op));
        }
    }

    private int floor() {
        return markCount == 0 ? 0 : marks[markCount - 1];
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        if (stack.size() <= floor()) {
            throw new Refusal("stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object top() {
        if (stack.size() <= floor()) {
            throw new Refusal("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        if (markCount == 0) {
            throw new Refusal("no MARK before an opcode that needs one");
        }
        int from = marks[--markCount];
        List<Object> tail = stack.subList(from, stack.size());
        List<Object> items = new ArrayList<>(tail);
        tail.clear();
        return items;
    }

    private Object memoGet(long index) {
        Object v = memo.get(index);
        if (v == null && !memo.containsKey(index)) {
            throw new Refusal("memo entry " + index + " was never set");
        }
        return v;
    }

    private void spend(long units) {
        work += units;
        if (work > workLimit) {
            throw new Refusal("the pickle asks for more copying than its length allows (a corrupt or hostile file)");
        }
    }

    private String line(String what) {
        byte[] buf = new byte[MAX_LINE];
        for (int n = 0; n < MAX_LINE; n++) {
            int b = in.u8(what);
            if (b == '\n') {
                return text(Arrays.copyOf(buf, n));
            }
            buf[n] = (byte) b;
        }
        throw new Refusal(what + " is longer than " + MAX_LINE + " bytes");
    }

    private Object global(String module, String name) {
        if (scriptObjects && Globals.ScriptClass.names(module)) {
            return new Globals.ScriptClass(module + "." + name);
        }
        Object g = Globals.resolve(module, name);
        if (g == null) {
            throw new Refusal(Globals.refusal(module, name));
        }
        return g;
    }

    private static String text(byte[] utf8) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new Refusal("a string that is not valid UTF-8");
        }
    }

    /** A little-endian two's complement integer, as LONG1 and LONG4 hold it. */
    private static Object integer(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        if (!(o instanceof ArrayList<?>)) {
            throw new Refusal("APPEND to " + describe(o) + ", not a list");
        }
        return (List<Object>) o;
    }

    private static Dict dict(Object o) {
        if (!(o instanceof Dict d)) {
            throw new Refusal("SETITEM on " + describe(o) + ", not a dict");
        }
        return d;
    }

    private static void putPairs(Dict d, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw new Refusal("an odd number of items for a dict's keys and values");
        }
        for (int i = 0; i < items.size(); i += 2) {
            d.putChecked(items.get(i), items.get(i + 1));
        }
    }

    private void addAll(PySet set, Collection<?> items) {
        spend(items.size());
        for (Object o : items) {
            set.addChecked(o);
        }
    }

    /** The type of a dict's keys (or a set's members) after adding {@code k}, or a refusal. */
    private static Class<?> keyType(Class<?> current, Object k) {
        if (k == null) {
            return current;
        }
        if (!(k instanceof String || k instanceof Long || k instanceof BigInteger || k instanceof Double
                || k instanceof Boolean)) {
            throw new Refusal(describe(k) + " as a dict key or set member (this reader takes str, int, float, bool"
                    + " and None)");
        }
        if (current != null && current != k.getClass()) {
            throw new Refusal("a dict or set whose keys are of different types");
        }
        return k.getClass();
    }

    private Object call(Object fn, Tuple args) {
        if (!(fn instanceof Globals.Callable c)) {
            throw new Refusal("REDUCE calls " + describe(fn) + ", which is not a function this reader allows");
        }
        spend(args.size());
        switch (c) {
            case ORDERED_DICT -> {
                OrderedDict d = new OrderedDict();
                if (args.size() == 1 && iterable(args.get(0)) != null) {
                    Collection<?> pairs = iterable(args.get(0));
                    spend(pairs.size());
                    for (Object p : pairs) {
                        if (!(p instanceof Tuple t) || t.size() != 2) {
                            throw new Refusal("OrderedDict's items must be (key, value) pairs, got " + describe(p));
                        }
                        d.putChecked(t.get(0), t.get(1));
                    }
                } else if (args.size() != 0) {
                    throw new Refusal("OrderedDict called with " + args.size() + " arguments");
                }
                return d;
            }
            case SET, FROZENSET -> {
                PySet set = new PySet(c == Globals.Callable.FROZENSET);
                if (args.size() == 1 && iterable(args.get(0)) != null) {
                    addAll(set, iterable(args.get(0)));
                } else if (args.size() != 0) {
                    throw new Refusal(c.pythonName + " called with " + args.size() + " arguments");
                }
                return set;
            }
            case ENCODE -> {
                if (args.size() != 2 || !(args.get(0) instanceof String s) || !("latin1".equals(args.get(1))
                        || "latin-1".equals(args.get(1)))) {
                    throw new Refusal("_codecs.encode is allowed only as encode(str, 'latin1')");
                }
                spend(s.length());
                byte[] b = new byte[s.length()];
                for (int i = 0; i < b.length; i++) {
                    char ch = s.charAt(i);
                    if (ch > 0xff) {
                        throw new Refusal("_codecs.encode of a character beyond latin-1");
                    }
                    b[i] = (byte) ch;
                }
                return new Bytes(b);
            }
            case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
                int n = c == Globals.Callable.REBUILD_PARAMETER ? 3 : 4;
                if (args.size() != n || !(args.get(0) instanceof TensorRef t)) {
                    throw new Refusal(c.pythonName + " needs " + n + " arguments, the first a tensor");
                }
                return t;
            }
            default -> {
                return TensorRef.rebuild(c, args);
            }
        }
    }

    /** A TorchScript object's attributes, set once from a dict with str keys. */
    private void build(ScriptObject o, Object state) {
        if (o.attributes != null) {
            throw new Refusal("BUILD on TorchScript object " + o.className + " a second time");
        }
        if (!(state instanceof Dict d) || d instanceof OrderedDict) {
            throw new Refusal("the state of TorchScript object " + o.className + " is " + describe(state)
                    + ", not a dict of attributes");
        }
        spend(d.size());
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : d.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new Refusal("an attribute name of TorchScript object " + o.className + " is " + describe(e.getKey()));
            }
            attributes.put(name, e.getValue());
        }
        o.attributes = attributes;
    }

    private static Collection<?> iterable(Object o) {
        if (o instanceof Tuple t) {
            return t.asList();
        }
        return o instanceof ArrayList<?> || o instanceof PySet ? (Collection<?>) o : null;
    }

    /** A value's Python type, for messages (never its contents, which may be huge or cyclic). */
    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Globals.Callable c) {
            return c.pythonName;
        }
        if (o instanceof Globals.StorageClass s) {
            return s.pythonName();
        }
        if (o instanceof Globals.DTypeValue d) {
            return d.pythonName();
        }
        if (o instanceof Globals.ScriptClass c) {
            return "TorchScript class " + c.qualifiedName();
        }
        if (o instanceof ScriptObject so) {
            return "a TorchScript object of class " + so.className;
        }
        if (o instanceof String s) {
            return s.length() <= 40 ? "the str '" + s + "'" : "a str";
        }
        if (o instanceof Long || o instanceof BigInteger) {
            return "the int " + o;
        }
        return o instanceof Boolean ? "a bool" : o instanceof Double ? "a float" : o instanceof Bytes ? "a bytes"
                : o instanceof Tuple ? "a tuple" : o instanceof ArrayList ? "a list" : o instanceof OrderedDict
                ? "an OrderedDict" : o instanceof Dict ? "a dict" : o instanceof PySet p ? (p.frozen ? "a frozenset" : "a set")
                : o instanceof StorageRef ? "a storage" : o instanceof TensorRef ? "a tensor" : "an object";
    }
}
