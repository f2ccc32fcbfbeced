// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title ITraceLedger
/// @notice Anchors Merkle roots of batches of supply-chain events, answers whether an event belongs to an
/// anchored batch, records which participants held which supply-chain role over time, and records
/// certifier attestations about a subject (for example the hash of a lot's proof bundle).
/// @dev Authority: the default admin (two-step, delayed hand-over) appoints operators: registrars, who grant
/// and revoke participant roles (certifier and supply-chain roles), and anchorers. An account is either an
/// operator or a participant, never both, so a service holding the registrar role cannot make itself a
/// certifier or a supplier.
/// @dev Leaves follow the `@openzeppelin/merkle-tree` StandardMerkleTree format for the value types
/// `(bytes32 eventHash, address signer)`: `keccak256(bytes.concat(keccak256(abi.encode(eventHash, signer))))`.
interface ITraceLedger {
    /// @notice Where and when a Merkle root was anchored.
    /// @param batchId Sequence number of the batch, starting at 1 (0 means "never anchored").
    /// @param leafCount Number of leaves (events) in the batch.
    /// @param anchoredAt Block timestamp of the anchoring transaction.
    /// @param blockNumber Block number of the anchoring transaction.
    struct Anchor {
        uint64 batchId;
        uint64 leafCount;
        uint64 anchoredAt;
        uint64 blockNumber;
    }

    /// @notice Opinion a certifier gives about a subject, after ISO 14064-3 verification opinions.
    enum Verdict {
        Verified,
        VerifiedWithQualifications,
        Rejected
    }

    /// @notice A certifier's signed statement about a subject.
    /// @param certifier Address that holds CERTIFIER_ROLE and signed the statement.
    /// @param statementHash Hash of the full attestation document (stored off chain, e.g. in IPFS).
    /// @param verdict The certifier's opinion.
    /// @param attestedAt Block timestamp at which the attestation was recorded.
    struct Attestation {
        address certifier;
        bytes32 statementHash;
        Verdict verdict;
        uint64 attestedAt;
    }

    /// @notice One period during which an account held a role; `revokedAt == 0` while it still holds it.
    struct RoleTerm {
        uint64 grantedAt;
        uint64 revokedAt;
    }

    /// @notice The root is zero.
    error TraceLedgerEmptyRoot();

    /// @notice The batch declares no leaves.
    error TraceLedgerEmptyBatch();

    /// @notice The batch manifest CID is empty.
    error TraceLedgerEmptyManifest();

    /// @notice The root was already anchored in batch `batchId`.
    error TraceLedgerRootAlreadyAnchored(bytes32 root, uint64 batchId);

    /// @notice The root was never anchored, so nothing can be verified against it.
    error TraceLedgerRootNotAnchored(bytes32 root);

    /// @notice The role is neither an operational role nor a registered supply-chain role.
    error TraceLedgerUnknownRole(bytes32 role);

    /// @notice The supply-chain role name is empty or already registered.
    error TraceLedgerInvalidRoleName(string name);

    /// @notice The attestation subject or statement hash is zero.
    error TraceLedgerEmptyAttestation();

    /// @notice The same certifier already attested the same statement about the same subject.
    error TraceLedgerAttestationExists(bytes32 subject, address certifier, bytes32 statementHash);

    /// @notice The signature does not come from an account that holds CERTIFIER_ROLE.
    error TraceLedgerInvalidCertifierSignature(address certifier);

    /// @notice The signed attestation's deadline has passed.
    error TraceLedgerSignatureExpired(uint256 deadline);

    /// @notice The certifier already used (or cancelled) this nonce.
    error TraceLedgerNonceUsed(address certifier, uint256 nonce);

    /// @notice Operator roles (admin, registrar, anchorer) and participant roles (certifier, supply-chain
    /// roles) never meet on one account: `account` cannot take `role` because of a role it holds.
    error TraceLedgerRoleConflict(bytes32 role, address account);

    /// @notice A batch of events was anchored.
    /// @param batchId Sequence number of the new batch.
    /// @param root Merkle root of the batch.
    /// @param leafCount Number of events in the batch.
    /// @param manifestCid IPFS CID of the batch manifest (leaves in order, tree format, chain and contract).
    /// @param anchorer Account that sent the transaction.
    event RootAnchored(
        uint64 indexed batchId,
        bytes32 indexed root,
        uint64 leafCount,
        string manifestCid,
        address indexed anchorer
    );

    /// @notice A new supply-chain role was registered and may now be granted to participants.
    event SupplyChainRoleRegistered(bytes32 indexed role, string name);

    /// @notice A certifier cancelled a nonce, so that a signature it gave with it can never be submitted.
    event NonceCancelled(address indexed certifier, uint256 nonce);

    /// @notice A certifier's attestation about `subject` was recorded.
    event AttestationRecorded(
        bytes32 indexed subject,
        address indexed certifier,
        bytes32 statementHash,
        Verdict verdict,
        string reportCid,
        address submitter
    );

    /// @notice Anchors the Merkle root of a batch of events.
    /// @dev Only ANCHORER_ROLE. Reverts on a zero root, zero leaves, an empty manifest or a root anchored before.
    /// @param root Merkle root of the batch.
    /// @param leafCount Number of leaves in the batch.
    /// @param manifestCid IPFS CID of the batch manifest.
    /// @return batchId Sequence number of the new batch.
    function anchor(bytes32 root, uint64 leafCount, string calldata manifestCid) external returns (uint64 batchId);

    /// @notice Where and when `root` was anchored; all fields are zero if it never was.
    function anchorOf(bytes32 root) external view returns (Anchor memory);

    /// @notice Whether `root` was anchored.
    function isAnchored(bytes32 root) external view returns (bool);

    /// @notice Number of batches anchored so far (also the id of the latest batch).
    function batchCount() external view returns (uint64);

    /// @notice The StandardMerkleTree leaf for an event hash signed by `signer`.
    function leafOf(bytes32 eventHash, address signer) external pure returns (bytes32);

    /// @notice Whether `leaf` belongs to the anchored batch with root `root`.
    /// @dev Reverts with TraceLedgerRootNotAnchored if the root was never anchored.
    function verifyLeaf(bytes32 root, bytes32[] calldata proof, bytes32 leaf) external view returns (bool);

    /// @notice Whether the event `eventHash` signed by `signer` belongs to the anchored batch with root `root`.
    /// @dev Reverts with TraceLedgerRootNotAnchored if the root was never anchored.
    function verifyEvent(
        bytes32 root,
        bytes32[] calldata proof,
        bytes32 eventHash,
        address signer
    ) external view returns (bool);

    /// @notice Registers a new supply-chain role `keccak256(bytes(name))`, administered by REGISTRAR_ROLE.
    /// @dev Only DEFAULT_ADMIN_ROLE. Reverts if `name` is empty or already registered.
    /// @return role The id of the new role.
    function registerSupplyChainRole(string calldata name) external returns (bytes32 role);

    /// @notice Whether `role` is a registered supply-chain role.
    function isSupplyChainRole(bytes32 role) external view returns (bool);

    /// @notice All registered supply-chain roles, in registration order.
    function supplyChainRoles() external view returns (bytes32[] memory);

    /// @notice Every period during which `account` held `role`, oldest first.
    function roleTermsOf(bytes32 role, address account) external view returns (RoleTerm[] memory);

    /// @notice Whether `account` held `role` at unix time `timestamp`.
    function hadRoleAt(bytes32 role, address account, uint64 timestamp) external view returns (bool);

    /// @notice Records an attestation by the caller, who must hold CERTIFIER_ROLE.
    function attest(bytes32 subject, bytes32 statementHash, Verdict verdict, string calldata reportCid) external;

    /// @notice Records an attestation signed off chain (EIP-712) by a certifier; anyone may submit it before
    /// `deadline`, once.
    /// @dev Reverts with TraceLedgerSignatureExpired after `deadline`, TraceLedgerNonceUsed if the certifier
    /// used or cancelled `nonce`, and TraceLedgerInvalidCertifierSignature unless the signer holds CERTIFIER_ROLE.
    /// @param nonce Any number the certifier has not used yet (unordered: signatures may be submitted in any order).
    /// @param deadline Unix time after which the signature is void.
    /// @param certifier The account that claims to have signed (an EOA or an ERC-1271 contract).
    function attestBySig(
        bytes32 subject,
        bytes32 statementHash,
        Verdict verdict,
        string calldata reportCid,
        uint256 nonce,
        uint256 deadline,
        address certifier,
        bytes calldata signature
    ) external;

    /// @notice EIP-712 digest a certifier signs for `attestBySig`.
    function attestationDigest(
        bytes32 subject,
        bytes32 statementHash,
        Verdict verdict,
        string calldata reportCid,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32);

    /// @notice Whether `certifier` used or cancelled `nonce`.
    function nonceUsed(address certifier, uint256 nonce) external view returns (bool);

    /// @notice Cancels one of the caller's nonces, voiding any signature given with it that was not submitted.
    /// @dev Reverts with TraceLedgerNonceUsed if the nonce is already used or cancelled.
    function cancelNonce(uint256 nonce) external;

    /// @notice All attestations recorded about `subject`, oldest first.
    function attestationsOf(bytes32 subject) external view returns (Attestation[] memory);
}
