/// A MITRE ATT&CK technique, by its v19 id, with the id it had before v19 where v19 renamed it
/// (Defense Evasion became Stealth and Defense Impairment).
public struct Technique: Codable, Hashable, Sendable {
    /// The v19 id, such as `T1098.001`.
    public var id: String
    /// The technique's name.
    public var name: String
    /// The id before v19 (`T1562.008` for `T1685.002`), when it changed.
    public var formerId: String?

    /// Makes a technique.
    public init(_ id: String, _ name: String, formerId: String? = nil) {
        self.id = id
        self.name = name
        self.formerId = formerId
    }
}

extension Technique {
    static let additionalCloudCredentials = Technique("T1098.001", "Account Manipulation: Additional Cloud Credentials")
    static let accountManipulation = Technique("T1098", "Account Manipulation")
    static let additionalCloudRoles = Technique("T1098.003", "Account Manipulation: Additional Cloud Roles")
    static let sshAuthorizedKeys = Technique("T1098.004", "Account Manipulation: SSH Authorized Keys")
    static let cloudAccount = Technique("T1136.003", "Create Account: Cloud Account")
    static let trustModification = Technique("T1484.002", "Domain or Tenant Policy Modification: Trust Modification")
    static let createCloudInstance = Technique(
        "T1578.002", "Modify Cloud Compute Infrastructure: Create Cloud Instance")
    static let unusedRegions = Technique("T1535", "Unused/Unsupported Cloud Regions")
    static let networkBoundaryBridging = Technique("T1599", "Network Boundary Bridging")
    static let cloudFirewall = Technique("T1686.001", "Disable or Modify Cloud Firewall", formerId: "T1562.007")
    static let cloudLogs = Technique("T1685.002", "Disable or Modify Cloud Logs", formerId: "T1562.008")
    static let impairTools = Technique("T1685", "Disable or Modify Tools", formerId: "T1562.001")
    static let applicationAccessToken = Technique(
        "T1550.001", "Use Alternate Authentication Material: Application Access Token")
    static let validCloudAccounts = Technique("T1078.004", "Valid Accounts: Cloud Accounts")
    static let cloudAccountDiscovery = Technique("T1087.004", "Account Discovery: Cloud Account")
    static let infrastructureDiscovery = Technique("T1580", "Cloud Infrastructure Discovery")
    static let passwordStores = Technique("T1555", "Credentials from Password Stores")
    static let unsecuredCredentials = Technique("T1552", "Unsecured Credentials")
    static let transferToCloudAccount = Technique("T1537", "Transfer Data to Cloud Account")
    static let leaveOrganization = Technique("T1666", "Modify Cloud Resource Hierarchy")
    static let cloudAdministrationCommand = Technique("T1651", "Cloud Administration Command")
    /// Logs a lifecycle rule expires are destroyed, as any data deleted on purpose.
    static let dataDestruction = Technique("T1485", "Data Destruction")
    /// A function runs whenever its triggers fire, with its role: changed code, layers or role
    /// turn every invocation into the intruder's.
    static let eventTriggeredExecution = Technique("T1546", "Event Triggered Execution")
    /// The code or layer a function runs from is the image it starts from; implanting one persists
    /// across every new execution environment.
    static let implantInternalImage = Technique("T1525", "Implant Internal Image")
    static let computeHijacking = Technique("T1496.001", "Resource Hijacking: Compute Hijacking")
    static let cloudServiceHijacking = Technique("T1496.004", "Resource Hijacking: Cloud Service Hijacking")
    static let remoteSSH = Technique("T1021.004", "Remote Services: SSH")
    static let cloudInstanceMetadataAPI = Technique(
        "T1552.005", "Unsecured Credentials: Cloud Instance Metadata API")
    static let indicatorRemoval = Technique("T1070", "Indicator Removal")
}
