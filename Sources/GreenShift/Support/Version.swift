/// The program's version: `greenshift --version` prints it, and each plan records it (`inputs`).
public enum GreenShiftVersion {
    public static let current = "0.1.0"
}
