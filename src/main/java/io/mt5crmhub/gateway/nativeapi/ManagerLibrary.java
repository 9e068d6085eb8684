package io.mt5crmhub.gateway.nativeapi;

import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

import io.mt5crmhub.config.ConfigurationException;

/**
 * The loaded Manager API library and its exports (section 1 of the ABI reference). Loading checks that the file
 * exists, loads, has the exports we call and is recent enough; each failure is one line naming the key.
 * The library stays loaded for the life of the process.
 */
public final class ManagerLibrary {

    static final String VERSION_EXPORT = "MTManagerVersion";
    static final String CREATE_EXPORT = "MTManagerCreateExt";

    private final String key;
    private final String path;
    private final Function version;
    private final Function create;

    private ManagerLibrary(String key, String path, Function version, Function create) {
        this.key = key;
        this.path = path;
        this.version = version;
        this.create = create;
    }

    /**
     * Loads the library at {@code path}, configured under {@code key}, and applies the version guard.
     *
     * @throws ConfigurationException naming the key and the cause
     */
    public static ManagerLibrary load(String key, String path) {
        if (path == null || path.isBlank()) {
            throw new ConfigurationException(key + " is not set: the path of MT5APIManager64.dll is required");
        }
        if (!Files.isRegularFile(Path.of(path))) {
            throw new ConfigurationException(key + ": " + path + " does not exist or is not a file");
        }
        NativeLibrary library;
        try {
            library = ProcessLifetime.keep(NativeLibrary.getInstance(path));
        } catch (UnsatisfiedLinkError e) {
            throw new ConfigurationException(key + ": cannot load " + path + ": " + firstLine(e.getMessage()));
        }
        ManagerLibrary loaded = new ManagerLibrary(key, path, export(key, path, library, VERSION_EXPORT),
                export(key, path, library, CREATE_EXPORT));
        ApiBuildGuard.check(key, path, loaded.apiBuild());
        return loaded;
    }

    /** The API build the library reports through MTManagerVersion. */
    public int apiBuild() {
        IntByReference build = new IntByReference();
        int res = version.invokeInt(new Object[] {build});
        if (res != 0) {
            throw new ConfigurationException(key + ": " + path + " answered " + Integer.toUnsignedString(res)
                    + " to " + VERSION_EXPORT);
        }
        return build.getValue();
    }

    /** A new IMTManagerAPI object, created for {@link ApiBuildGuard#REQUIRED_BUILD}; release it with {@link ManagerApi#release()}. */
    public ManagerApi createManager() {
        PointerByReference out = new PointerByReference();
        int res = create.invokeInt(new Object[] {ApiBuildGuard.REQUIRED_BUILD, Pointer.NULL, out});
        if (res != 0 || out.getValue() == null) {
            throw new ConfigurationException(key + ": " + path + " refused to create a manager: "
                    + CREATE_EXPORT + " answered " + Integer.toUnsignedString(res));
        }
        return new ManagerApi(new ComObject(out.getValue()));
    }

    private static Function export(String key, String path, NativeLibrary library, String name) {
        try {
            return library.getFunction(name);
        } catch (UnsatisfiedLinkError e) {
            throw new ConfigurationException(key + ": " + path + " lacks the export " + name
                    + "; is it MT5APIManager64.dll?");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).trim();
    }
}
