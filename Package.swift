// swift-tools-version: 6.1
import PackageDescription

/// Modules that wrap a C library hide it: with internal imports by default, no C type crosses their public API.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Custody",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "custody", targets: ["custody"]),
        .library(name: "CustodyCrypto", targets: ["CustodyCrypto"]),
        .library(name: "EvidenceArchive", targets: ["EvidenceArchive"]),
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
            name: "CustodyCrypto",
            dependencies: ["COpenSSL"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EvidenceArchive",
            dependencies: ["CArchive", "CustodyCrypto"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "custody",
            dependencies: [
                "CustodyCrypto",
                "EvidenceArchive",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CustodyTestSupport",
            path: "Tests/CustodyTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CustodyCryptoTests",
            dependencies: ["CustodyCrypto", "CustodyTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EvidenceArchiveTests",
            dependencies: ["EvidenceArchive", "CustodyCrypto", "CustodyTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CustodyCLITests",
            dependencies: ["custody", "EvidenceArchive", "CustodyCrypto", "CustodyTestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)

