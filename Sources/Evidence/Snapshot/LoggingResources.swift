public import CustodyJSON

/// A CloudTrail trail with its status and event selectors, from
/// [DescribeTrails](https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html),
/// [GetTrailStatus](https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html) and
/// [GetEventSelectors](https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html).
public struct Trail: Codable, Hashable, Sendable {
    /// The trail's name.
    public var name: String
    /// The ARN: the trail's stable id.
    public var trailArn: String
    /// The region it was created in.
    public var homeRegion: String?
    /// The bucket log files go to.
    public var s3BucketName: String?
    /// The key prefix in the bucket.
    public var s3KeyPrefix: String?
    /// Whether it logs every region.
    public var isMultiRegionTrail: Bool
    /// Whether it is an organization trail.
    public var isOrganizationTrail: Bool
    /// Whether digest files are written.
    public var logFileValidationEnabled: Bool
    /// Whether global service events (IAM, STS) are included.
    public var includeGlobalServiceEvents: Bool
    /// The KMS key encrypting log files.
    public var kmsKeyId: String?
    /// Whether it is logging now.
    public var isLogging: Bool?
    /// When logging was last started.
    public var startLoggingTime: String?
    /// When logging was last stopped.
    public var stopLoggingTime: String?
    /// When a log file was last delivered.
    public var latestDeliveryTime: String?
    /// The last delivery error.
    public var latestDeliveryError: String?
    /// Basic event selectors.
    public var eventSelectors: JSONValue?
    /// Advanced event selectors.
    public var advancedEventSelectors: JSONValue?

    /// Makes a trail record.
    public init(
        name: String, trailArn: String, homeRegion: String? = nil, s3BucketName: String? = nil,
        s3KeyPrefix: String? = nil, isMultiRegionTrail: Bool = false, isOrganizationTrail: Bool = false,
        logFileValidationEnabled: Bool = false, includeGlobalServiceEvents: Bool = false, kmsKeyId: String? = nil,
        isLogging: Bool? = nil, startLoggingTime: String? = nil, stopLoggingTime: String? = nil,
        latestDeliveryTime: String? = nil, latestDeliveryError: String? = nil, eventSelectors: JSONValue? = nil,
        advancedEventSelectors: JSONValue? = nil
    ) {
        self.name = name
        self.trailArn = trailArn
        self.homeRegion = homeRegion
        self.s3BucketName = s3BucketName
        self.s3KeyPrefix = s3KeyPrefix
        self.isMultiRegionTrail = isMultiRegionTrail
        self.isOrganizationTrail = isOrganizationTrail
        self.logFileValidationEnabled = logFileValidationEnabled
        self.includeGlobalServiceEvents = includeGlobalServiceEvents
        self.kmsKeyId = kmsKeyId
        self.isLogging = isLogging
        self.startLoggingTime = startLoggingTime
        self.stopLoggingTime = stopLoggingTime
        self.latestDeliveryTime = latestDeliveryTime
        self.latestDeliveryError = latestDeliveryError
        self.eventSelectors = eventSelectors
        self.advancedEventSelectors = advancedEventSelectors
    }
}

extension Trail: TapeDecodable {}

/// A GuardDuty detector, from [ListDetectors](https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListDetectors.html)
/// and [GetDetector](https://docs.aws.amazon.com/guardduty/latest/APIReference/API_GetDetector.html).
public struct GuardDutyDetector: Codable, Hashable, Sendable {
    /// The detector id.
    public var detectorId: String
    /// The region.
    public var region: String
    /// `ENABLED` or `DISABLED`.
    public var status: String
    /// When it was created.
    public var createdAt: String?
    /// When it last changed.
    public var updatedAt: String?
    /// How often findings are published.
    public var findingPublishingFrequency: String?
    /// Protection plans and their status.
    public var features: [DetectorFeature]

    /// Makes a detector record.
    public init(
        detectorId: String, region: String, status: String, createdAt: String? = nil, updatedAt: String? = nil,
        findingPublishingFrequency: String? = nil, features: [DetectorFeature] = []
    ) {
        self.detectorId = detectorId
        self.region = region
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.findingPublishingFrequency = findingPublishingFrequency
        self.features = features
    }
}

extension GuardDutyDetector: TapeDecodable {}

/// A GuardDuty protection plan.
public struct DetectorFeature: Codable, Hashable, Sendable {
    /// The feature, such as `S3_DATA_EVENTS`.
    public var name: String
    /// `ENABLED` or `DISABLED`.
    public var status: String

    /// Makes a feature record.
    public init(name: String, status: String) {
        self.name = name
        self.status = status
    }
}
