@testable import Collect
import Evidence
import Testing

/// Where an account's CloudTrail files are in a trail's bucket, for account and organization trails.
@Suite struct CloudTrailKeyLayoutTests {
    @Test func readsTheOrganizationRootsBeforeTheAccountRoot() {
        let layout = CloudTrailKeyLayout(prefix: "org/logs", account: "111122223333")
        #expect(
            layout.roots(organizations: ["o-a1b2c3d4e5"]) == [
                "org/logs/AWSLogs/o-a1b2c3d4e5/111122223333/", "org/logs/AWSLogs/111122223333/",
            ])
        #expect(
            CloudTrailKeyLayout(prefix: "", account: "111122223333").roots(organizations: [])
                == ["AWSLogs/111122223333/"])
        #expect(
            CloudTrailKeyLayout.logFolder(root: "AWSLogs/o-a1b2c3d4e5/111122223333/", region: "eu-west-1")
                == "AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/eu-west-1/")
        #expect(
            CloudTrailKeyLayout.digestFolder(root: "AWSLogs/111122223333/", region: "us-east-1")
                == "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/")
    }

    @Test func findsOrganizationIdsAmongTheBucketsFolders() {
        let layout = CloudTrailKeyLayout(prefix: "p", account: "111122223333")
        #expect(layout.organizationId(commonPrefix: "p/AWSLogs/o-a1b2c3d4e5/") == "o-a1b2c3d4e5")
        // An account folder, a name too short, upper case, another prefix: none is an Organization.
        #expect(layout.organizationId(commonPrefix: "p/AWSLogs/111122223333/") == nil)
        #expect(layout.organizationId(commonPrefix: "p/AWSLogs/o-abc/") == nil)
        #expect(layout.organizationId(commonPrefix: "p/AWSLogs/o-A1B2C3D4E5/") == nil)
        #expect(layout.organizationId(commonPrefix: "q/AWSLogs/o-a1b2c3d4e5/") == nil)
        #expect(layout.organizationId(commonPrefix: "p/AWSLogs/o-a1b2c3d4e5") == nil)
    }

    @Test func anOrganizationTrailMakesItsDestinationAnOrganizationOne() {
        let account = Trail(
            name: "local", trailArn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/local",
            homeRegion: "us-east-1", s3BucketName: "logs", s3KeyPrefix: "/p/")
        let organization = Trail(
            name: "org", trailArn: "arn:aws:cloudtrail:eu-west-1:999988887777:trail/org", homeRegion: "eu-west-1",
            s3BucketName: "logs", s3KeyPrefix: "p", isOrganizationTrail: true)
        let other = Trail(
            name: "other", trailArn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/other", s3BucketName: "b2")
        let destinations = CloudTrailS3Collector.destinations(
            [other, organization, account], defaultRegion: "us-west-2")
        #expect(destinations.count == 2)
        #expect(
            destinations.contains { $0.bucket == "logs" && $0.prefix == "p" && $0.organization })
        #expect(
            destinations.contains {
                $0.bucket == "b2" && $0.prefix == "" && !$0.organization && $0.region == "us-west-2"
            })
    }
}
