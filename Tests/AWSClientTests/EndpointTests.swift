import Foundation
import Testing

@testable import AWSClient

/// Standard endpoints per partition, and the SDKs' endpoint overrides in their documented order.
@Suite struct EndpointTests {
    @Test(arguments: [
        ("iam", "us-east-1", "iam.amazonaws.com", "us-east-1"),
        ("iam", "eu-west-3", "iam.amazonaws.com", "us-east-1"),
        ("iam", "cn-northwest-1", "iam.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        ("iam", "us-gov-east-1", "iam.us-gov.amazonaws.com", "us-gov-west-1"),
        ("organizations", "ap-south-1", "organizations.us-east-1.amazonaws.com", "us-east-1"),
        ("organizations", "cn-north-1", "organizations.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"),
        ("organizations", "us-gov-west-1", "organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
        ("sts", "eu-central-1", "sts.eu-central-1.amazonaws.com", "eu-central-1"),
        ("sts", "cn-north-1", "sts.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        ("sts", "us-gov-east-1", "sts.us-gov-east-1.amazonaws.com", "us-gov-east-1"),
        ("ec2", "me-central-1", "ec2.me-central-1.amazonaws.com", "me-central-1"),
        ("cloudtrail", "cn-northwest-1", "cloudtrail.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"),
        ("guardduty", "us-gov-west-1", "guardduty.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
        ("s3", "eu-west-1", "s3.eu-west-1.amazonaws.com", "eu-west-1"),
        ("ec2", "ap-southeast-9", "ec2.ap-southeast-9.amazonaws.com", "ap-southeast-9"),
        ("account", "eu-west-1", "account.us-east-1.amazonaws.com", "us-east-1"),
    ])
    func standardEndpoints(_ service: String, _ region: String, _ host: String, _ signingRegion: String) throws {
        let endpoint = try EndpointResolver.standard(AWSService.named(service)!, region: region)
        #expect(endpoint.host == host)
        #expect(endpoint.signingRegion == signingRegion)
        #expect(endpoint.scheme == "https" && !endpoint.isCustom)
    }

    @Test func unknownRegionsAreRefused() {
        #expect(throws: AWSClientError(.endpointNotFound, "")) {
            _ = try EndpointResolver.standard(.ec2, region: "mars-north-1")
        }
    }

    static let services: [String: ConfigSection] = [
        "local": ConfigSection(nested: ["s3": ["endpoint_url": "http://127.0.0.1:9003"]])
    ]

    @Test func precedenceFollowsTheSDKs() throws {
        let profile = ConfigSection(values: ["endpoint_url": "http://127.0.0.1:9005", "services": "local"])
        let environment = [
            "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9001", "AWS_ENDPOINT_URL": "http://127.0.0.1:9002",
        ]
        var resolver = EndpointResolver(
            explicitURL: "http://127.0.0.1:9000", environment: environment, profile: profile, services: Self.services)
        #expect(try resolver.resolve(.s3, region: "us-east-1").port == 9000)
        resolver.explicitURL = nil
        #expect(try resolver.resolve(.s3, region: "us-east-1").port == 9001)
        #expect(try resolver.resolve(.iam, region: "us-east-1").port == 9002)
        resolver.environment = [:]
        #expect(try resolver.resolve(.s3, region: "us-east-1").port == 9003)
        #expect(try resolver.resolve(.iam, region: "us-east-1").port == 9005)
        resolver.profile = ConfigSection()
        #expect(try resolver.resolve(.iam, region: "us-east-1").host == "iam.amazonaws.com")
    }

    @Test func ignoringConfiguredEndpointsKeepsTheExplicitOne() throws {
        let resolver = EndpointResolver(
            explicitURL: nil,
            environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9002", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"],
            profile: ConfigSection(values: ["endpoint_url": "http://127.0.0.1:9005"]))
        #expect(try resolver.resolve(.sts, region: "eu-west-1").host == "sts.eu-west-1.amazonaws.com")
        var explicit = resolver
        explicit.explicitURL = "http://localhost:4566/base/"
        let endpoint = try explicit.resolve(.sts, region: "eu-west-1")
        #expect(endpoint.host == "localhost" && endpoint.port == 4566 && endpoint.basePath == "/base")
        #expect(endpoint.signingRegion == "eu-west-1" && endpoint.source == "--endpoint-url")
    }

    @Test(arguments: ["ftp://x", "http://", "127.0.0.1:5000", "http://host:port", "http://user@host"])
    func malformedOverridesAreRefused(_ url: String) {
        #expect(throws: AWSClientError(.invalidConfiguration, "")) {
            _ = try Endpoint.parse(url, signingRegion: "us-east-1", source: "test")
        }
    }

    @Test func serviceIdentifiers() {
        #expect(AWSService.cloudTrail.environmentSuffix == "CLOUDTRAIL")
        #expect(AWSService.guardDuty.configKey == "guardduty")
        #expect(AWSService.organizations.environmentSuffix == "ORGANIZATIONS")
    }

    @Test func configFilesResolveServiceSections() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write(
            "config",
            """
            [profile lab]
            region = eu-west-2
            services = lab-services
            endpoint_url = http://127.0.0.1:7000

            [services lab-services]
            iam =
              endpoint_url = http://127.0.0.1:7001
            """)
        let aws = try AWS(AWSConfiguration(profile: "lab", environment: testEnvironment(folder)))
        #expect(aws.region == "eu-west-2")
        #expect(try aws.endpoints.resolve(.iam, region: aws.region).port == 7001)
        #expect(try aws.endpoints.resolve(.ec2, region: aws.region).port == 7000)
    }

    @Test func s3AddressingOnCustomEndpointsIsPathStyle() throws {
        let aws = try AWS(
            AWSConfiguration(
                region: "us-east-1", endpointURL: "http://127.0.0.1:5000", environment: [:],
                credentialProvider: StaticCredentialProvider(TestKeys.credentials)))
        var call = OperationCall(service: .s3, action: "GetObject")
        call.bucket = "evidence"
        call.path = "/k"
        let request = aws.httpRequest(for: call, endpoint: try aws.endpoints.resolve(.s3, region: "us-east-1"))
        #expect(request.host == "127.0.0.1" && request.path == "/evidence/k" && request.port == 5000)
    }
}
