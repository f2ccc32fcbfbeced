// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ITraceLedger} from "./interfaces/ITraceLedger.sol";

/// @title TraceLedger
/// @notice CarbonTrace's on-chain ledger: Merkle roots of event batches, supply-chain roles with their history,
/// and certifier attestations. See {ITraceLedger}.
contract TraceLedger is ITraceLedger, AccessControlDefaultAdminRules, EIP712 {
    /// @notice Role of the service accounts that grant and revoke participant roles (certifier, supply chain).
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    /// @notice Role of the service accounts allowed to anchor batches.
    bytes32 public constant ANCHORER_ROLE = keccak256("ANCHORER_ROLE");
    /// @notice Role of certifiers whose attestations the ledger records.
    bytes32 public constant CERTIFIER_ROLE = keccak256("CERTIFIER_ROLE");
    /// @notice Supply-chain role of raw-material suppliers (e.g. PET-bottle collectors).
    bytes32 public constant SUPPLIER_ROLE = keccak256("SUPPLIER_ROLE");
    /// @notice Supply-chain role of recyclers (e.g. bottle bales into rPET pellets).
    bytes32 public constant RECYCLER_ROLE = keccak256("RECYCLER_ROLE");
    /// @notice Supply-chain role of moulders (e.g. pellets into boxes).
    bytes32 public constant MOULDER_ROLE = keccak256("MOULDER_ROLE");
    /// @notice Supply-chain role of warehouses.
    bytes32 public constant WAREHOUSE_ROLE = keccak256("WAREHOUSE_ROLE");

    bytes32 private constant _ATTESTATION_TYPEHASH = keccak256(
        "Attestation(bytes32 subject,bytes32 statementHash,uint8 verdict,string reportCid,uint256 nonce,uint256 deadline)"
    );

    mapping(bytes32 root => Anchor anchor) private _anchors;
    uint64 private _batchCount;

    bytes32[] private _supplyChainRoles;
    mapping(bytes32 role => bool registered) private _isSupplyChainRole;
    mapping(bytes32 role => mapping(address account => RoleTerm[] terms)) private _roleTerms;

    mapping(bytes32 subject => Attestation[] attestations) private _attestations;
    mapping(bytes32 attestationKey => bool recorded) private _attested;
    mapping(address certifier => mapping(uint256 nonce => bool used)) private _nonceUsed;

    /// @param adminDelay Seconds a hand-over of DEFAULT_ADMIN_ROLE waits before the new admin may accept it.
    /// @param admin Account that receives DEFAULT_ADMIN_ROLE (e.g. a multisig); it appoints operators.
    /// @param operator The service account: receives REGISTRAR_ROLE and ANCHORER_ROLE (zero: none yet).
    constructor(
        uint48 adminDelay,
        address admin,
        address operator
    ) AccessControlDefaultAdminRules(adminDelay, admin) EIP712("CarbonTrace TraceLedger", "1") {
        _setRoleAdmin(CERTIFIER_ROLE, REGISTRAR_ROLE);
        _registerSupplyChainRole("SUPPLIER_ROLE");
        _registerSupplyChainRole("RECYCLER_ROLE");
        _registerSupplyChainRole("MOULDER_ROLE");
        _registerSupplyChainRole("WAREHOUSE_ROLE");
        if (operator != address(0)) {
            _grantRole(REGISTRAR_ROLE, operator);
            _grantRole(ANCHORER_ROLE, operator);
        }
    }

    /// @inheritdoc ITraceLedger
    function anchor(
        bytes32 root,
        uint64 leafCount,
        string calldata manifestCid
    ) external onlyRole(ANCHORER_ROLE) returns (uint64 batchId) {
        if (root == bytes32(0)) revert TraceLedgerEmptyRoot();
        if (leafCount == 0) revert TraceLedgerEmptyBatch();
        if (bytes(manifestCid).length == 0) revert TraceLedgerEmptyManifest();
        uint64 existing = _anchors[root].batchId;
        if (existing != 0) revert TraceLedgerRootAlreadyAnchored(root, existing);

        batchId = ++_batchCount;
        _anchors[root] = Anchor({
            batchId: batchId,
            leafCount: leafCount,
            anchoredAt: uint64(block.timestamp),
            blockNumber: uint64(block.number)
        });
        emit RootAnchored(batchId, root, leafCount, manifestCid, msg.sender);
    }

    /// @inheritdoc ITraceLedger
    function anchorOf(bytes32 root) external view returns (Anchor memory) {
        return _anchors[root];
    }

    /// @inheritdoc ITraceLedger
    function isAnchored(bytes32 root) public view returns (bool) {
        return _anchors[root].batchId != 0;
    }

    /// @inheritdoc ITraceLedger
    function batchCount() external view returns (uint64) {
        return _batchCount;
    }

    /// @inheritdoc ITraceLedger
    function leafOf(bytes32 eventHash, address signer) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(eventHash, signer))));
    }

    /// @inheritdoc ITraceLedger
    function verifyLeaf(bytes32 root, bytes32[] calldata proof, bytes32 leaf) public view returns (bool) {
        if (!isAnchored(root)) revert TraceLedgerRootNotAnchored(root);
        return MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /// @inheritdoc ITraceLedger
    function verifyEvent(
        bytes32 root,
        bytes32[] calldata proof,
        bytes32 eventHash,
        address signer
    ) external view returns (bool) {
        return verifyLeaf(root, proof, leafOf(eventHash, signer));
    }

    /// @inheritdoc ITraceLedger
    function registerSupplyChainRole(string calldata name) external onlyRole(DEFAULT_ADMIN_ROLE) returns (bytes32) {
        return _registerSupplyChainRole(name);
    }

    /// @inheritdoc ITraceLedger
    function isSupplyChainRole(bytes32 role) external view returns (bool) {
        return _isSupplyChainRole[role];
    }

    /// @inheritdoc ITraceLedger
    function supplyChainRoles() external view returns (bytes32[] memory) {
        return _supplyChainRoles;
    }

    /// @inheritdoc ITraceLedger
    function roleTermsOf(bytes32 role, address account) external view returns (RoleTerm[] memory) {
        return _roleTerms[role][account];
    }

    /// @inheritdoc ITraceLedger
    function hadRoleAt(bytes32 role, address account, uint64 timestamp) external view returns (bool) {
        RoleTerm[] storage terms = _roleTerms[role][account];
        for (uint256 i = terms.length; i > 0; --i) {
            RoleTerm storage term = terms[i - 1];
            if (term.grantedAt <= timestamp) {
                return term.revokedAt == 0 || timestamp < term.revokedAt;
            }
        }
        return false;
    }

    /// @inheritdoc ITraceLedger
    function attest(
        bytes32 subject,
        bytes32 statementHash,
        Verdict verdict,
        string calldata reportCid
    ) external onlyRole(CERTIFIER_ROLE) {
        _recordAttestation(subject, statementHash, verdict, reportCid, msg.sender);
    }

    /// @inheritdoc ITraceLedger
    function attestBySig(
        bytes32 subject,
        bytes32 statementHash,
        Verdict verdict,
        string calldata reportCid,
        uint256 nonce,
        uint256 deadline,
        address certifier,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert TraceLedgerSignatureExpired(deadline);
        bytes32 digest = attestationDigest(subject, statementHash, verdict, reportCid, nonce, deadline);
        if (
            !hasRole(CERTIFIER_ROLE, certifier) || !SignatureChecker.isValidSignatureNow(certifier, digest, signature)
        ) {
            revert TraceLedgerInvalidCertifierSignature(certifier);
        }
        _useNonce(certifier, nonce);
        _recordAttestation(subject, statementHash, verdict, reportCid, certifier);
    }

    /// @inheritdoc ITraceLedger
    function attestationDigest(
        bytes32 subject,
        bytes32 statementHash,
        Verdict verdict,
        string calldata reportCid,
        uint256 nonce,
        uint256 deadline
    ) public view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                _ATTESTATION_TYPEHASH,
                subject,
                statementHash,
                uint8(verdict),
                keccak256(bytes(reportCid)),
                nonce,
                deadline
            )
        );
        return _hashTypedDataV4(structHash);
    }

    /// @inheritdoc ITraceLedger
    function nonceUsed(address certifier, uint256 nonce) external view returns (bool) {
        return _nonceUsed[certifier][nonce];
    }

    /// @inheritdoc ITraceLedger
    function cancelNonce(uint256 nonce) external {
        _useNonce(msg.sender, nonce);
        emit NonceCancelled(msg.sender, nonce);
    }

    /// @inheritdoc ITraceLedger
    function attestationsOf(bytes32 subject) external view returns (Attestation[] memory) {
        return _attestations[subject];
    }

    /// @inheritdoc AccessControlDefaultAdminRules
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(ITraceLedger).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev Only known roles may be granted, never an operator role to a participant nor a participant role to an
    /// operator, and every grant opens a term in the role's history.
    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        if (!_isKnownRole(role)) revert TraceLedgerUnknownRole(role);
        if (_isParticipantRole(role) ? _isOperator(account) : _isParticipant(account)) {
            revert TraceLedgerRoleConflict(role, account);
        }
        bool granted = super._grantRole(role, account);
        if (granted) {
            _roleTerms[role][account].push(RoleTerm({grantedAt: uint64(block.timestamp), revokedAt: 0}));
        }
        return granted;
    }

    /// @dev Every revocation closes the open term in the role's history.
    function _revokeRole(bytes32 role, address account) internal override returns (bool) {
        bool revoked = super._revokeRole(role, account);
        if (revoked) {
            RoleTerm[] storage terms = _roleTerms[role][account];
            terms[terms.length - 1].revokedAt = uint64(block.timestamp);
        }
        return revoked;
    }

    function _registerSupplyChainRole(string memory name) private returns (bytes32 role) {
        role = keccak256(bytes(name));
        if (bytes(name).length == 0 || _isKnownRole(role)) revert TraceLedgerInvalidRoleName(name);
        _isSupplyChainRole[role] = true;
        _supplyChainRoles.push(role);
        _setRoleAdmin(role, REGISTRAR_ROLE);
        emit SupplyChainRoleRegistered(role, name);
    }

    function _useNonce(address certifier, uint256 nonce) private {
        if (_nonceUsed[certifier][nonce]) revert TraceLedgerNonceUsed(certifier, nonce);
        _nonceUsed[certifier][nonce] = true;
    }

    function _recordAttestation(
        bytes32 subject,
        bytes32 statementHash,
        Verdict verdict,
        string calldata reportCid,
        address certifier
    ) private {
        if (subject == bytes32(0) || statementHash == bytes32(0)) revert TraceLedgerEmptyAttestation();
        bytes32 key = keccak256(abi.encode(subject, certifier, statementHash));
        if (_attested[key]) revert TraceLedgerAttestationExists(subject, certifier, statementHash);
        _attested[key] = true;
        _attestations[subject].push(
            Attestation({
                certifier: certifier,
                statementHash: statementHash,
                verdict: verdict,
                attestedAt: uint64(block.timestamp)
            })
        );
        emit AttestationRecorded(subject, certifier, statementHash, verdict, reportCid, msg.sender);
    }

    function _isKnownRole(bytes32 role) private view returns (bool) {
        return
            role == DEFAULT_ADMIN_ROLE ||
            role == REGISTRAR_ROLE ||
            role == ANCHORER_ROLE ||
            role == CERTIFIER_ROLE ||
            _isSupplyChainRole[role];
    }

    function _isParticipantRole(bytes32 role) private view returns (bool) {
        return role == CERTIFIER_ROLE || _isSupplyChainRole[role];
    }

    function _isOperator(address account) private view returns (bool) {
        return
            hasRole(DEFAULT_ADMIN_ROLE, account) ||
            hasRole(REGISTRAR_ROLE, account) ||
            hasRole(ANCHORER_ROLE, account) ||
            _isPendingAdmin(account);
    }

    function _isParticipant(address account) private view returns (bool) {
        if (hasRole(CERTIFIER_ROLE, account)) return true;
        uint256 count = _supplyChainRoles.length;
        for (uint256 i = 0; i < count; ++i) {
            if (hasRole(_supplyChainRoles[i], account)) return true;
        }
        return false;
    }

    function _isPendingAdmin(address account) private view returns (bool) {
        (address pending, ) = pendingDefaultAdmin();
        return pending == account && account != address(0);
    }
}
