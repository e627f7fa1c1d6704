// swift-tools-version: 6.1
import PackageDescription

/// Modules that wrap a C library hide it: with internal imports by default, no C type crosses their public API.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

// Custody is built and tested on Linux (Debian's libarchive and OpenSSL, Glibc calls); it declares no
// Apple platform because none is built or tested.
let package = Package(
    name: "Custody",
    products: [
        .executable(name: "custody", targets: ["custody"]),
        .library(name: "CustodyCrypto", targets: ["CustodyCrypto"]),
        .library(name: "EvidenceArchive", targets: ["EvidenceArchive"]),
        .library(name: "AWSClient", targets: ["AWSClient"]),
        .library(name: "Evidence", targets: ["Evidence"]),
        .library(name: "CustodyJSON", targets: ["CustodyJSON"]),
        .library(name: "Collect", targets: ["Collect"]),
        .library(name: "EvidenceReading", targets: ["EvidenceReading"]),
        .library(name: "Diff", targets: ["Diff"]),
        .library(name: "Report", targets: ["Report"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "CustodyJSON",
            swiftSettings: strictSettings
        ),
        .target(
            name: "CustodyErrors",
            swiftSettings: strictSettings
        ),
        .target(
            name: "CustodyCrypto",
            dependencies: ["COpenSSL", "CustodyErrors"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EvidenceArchive",
            dependencies: ["CArchive", "CustodyCrypto", "CustodyJSON", "CustodyErrors"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AWSClient",
            dependencies: ["CustodyCrypto", "CustodyJSON", "CustodyErrors"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Evidence",
            dependencies: ["CustodyJSON", "CustodyErrors"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Collect",
            dependencies: [
                "Evidence", "EvidenceArchive", "CustodyCrypto", "CustodyJSON", "AWSClient", "CustodyErrors",
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EvidenceReading",
            dependencies: ["Evidence", "EvidenceArchive", "CustodyJSON", "CustodyCrypto", "CustodyErrors"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Diff",
            dependencies: [
                "EvidenceReading", "Evidence", "EvidenceArchive", "CustodyJSON", "CustodyCrypto", "CustodyErrors",
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Report",
            dependencies: [
                "EvidenceReading", "Diff", "Evidence", "EvidenceArchive", "CustodyJSON", "CustodyCrypto",
                "CustodyErrors",
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "custody",
            dependencies: [
                "CustodyCrypto",
                "EvidenceArchive",
                "Evidence",
                "Collect",
                "EvidenceReading",
                "Diff",
                "Report",
                "CustodyJSON",
                "AWSClient",
                "CustodyErrors",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CustodyTestSupport",
            path: "Tests/CustodyTestSupport",
            swiftSettings: strictSettings
        ),
        .target(
            name: "ArchiveTestSupport",
            dependencies: ["EvidenceArchive"],
            path: "Tests/ArchiveTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CustodyErrorsTests",
            dependencies: ["CustodyErrors"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CustodyJSONTests",
            dependencies: ["CustodyJSON"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CustodyCryptoTests",
            dependencies: ["CustodyCrypto", "CustodyTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EvidenceArchiveTests",
            dependencies: ["EvidenceArchive", "CustodyCrypto", "CustodyTestSupport", "ArchiveTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AWSClientTests",
            dependencies: ["AWSClient", "CustodyCrypto", "CustodyJSON", "CustodyTestSupport"],
            resources: [.copy("Resources")],

            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EvidenceTests",
            dependencies: ["Evidence", "CustodyTestSupport"],
            resources: [.copy("Resources")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CollectTests",
            dependencies: [
                "Collect", "Evidence", "EvidenceArchive", "CustodyCrypto", "CustodyTestSupport", "ArchiveTestSupport",
                "AWSClient",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DiffTests",
            dependencies: [
                "Diff", "EvidenceReading", "Evidence", "EvidenceArchive", "CustodyJSON", "CustodyCrypto",
                "CustodyTestSupport",
            ],
            resources: [.copy("Resources")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReportTests",
            dependencies: [
                "Report", "Diff", "EvidenceReading", "Evidence", "EvidenceArchive", "CustodyJSON", "CustodyCrypto",
                "CustodyTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FuzzEntries",
            dependencies: ["Evidence", "EvidenceArchive", "EvidenceReading", "Diff", "CustodyJSON"],
            path: "Tests/FuzzEntries",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FuzzCorpusTests",
            dependencies: ["FuzzEntries"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CustodyCLITests",
            dependencies: ["custody", "EvidenceArchive", "CustodyCrypto", "CustodyTestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)

/// The fuzz targets, `Fuzz/<name>/`: executables that run libFuzzer's driver, declared only when
/// `Scripts/fuzz` builds one (it sets CUSTODY_FUZZ=1 and links libFuzzer with `-sanitize=fuzzer`):
/// without libFuzzer they cannot run, and a plain `swift build` or `swift test` never builds them.
/// Each feeds its input to `FuzzTarget`, through which the tests replay the corpus.
if Context.environment["CUSTODY_FUZZ"] == "1" {
    for name in [
        "cloudtrail-reader", "cloudtrail-hunt", "json-scanner", "snapshot-tape", "tar-reader", "manifest",
        "digest-validator",
    ] {
        package.targets.append(
            .executableTarget(
                name: "fuzz-\(name)", dependencies: ["FuzzEntries"], path: "Fuzz/\(name)",
                swiftSettings: strictSettings))
    }
}
