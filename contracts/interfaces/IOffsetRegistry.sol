// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IOffsetRegistry
/// @notice Retires carbon-credit serial ranges for a product lot so that no serial is ever retired twice.
/// @dev Serials are numbered within a block (registry + block prefix, since some registries restart
/// numbering per issuance batch). Retired ranges of a block are kept as a sorted linked list keyed by their
/// first serial; callers pass the first serial of the range just before the new one as a hint
/// (see `predecessorOf`), which makes the disjointness check O(1). A wrong hint never lets an overlap through:
/// it only makes the call revert with `OffsetRegistryInvalidHint`.
interface IOffsetRegistry {
    /// @notice What to retire.
    /// @param registry Registry name, e.g. "VERRA", "GOLD_STANDARD", "CDM".
    /// @param serialBlock Block prefix within which serial numbers are unique, as defined by the registry.
    /// @param projectId Registry project id.
    /// @param vintage Vintage year of the credits.
    /// @param firstSerial First serial of the range (inclusive).
    /// @param lastSerial Last serial of the range (inclusive).
    /// @param lotId Product lot the retirement is bound to (keccak256 of its identifier).
    /// @param beneficiary Name of the beneficiary as recorded on the registry's retirement.
    struct Retirement {
        string registry;
        string serialBlock;
        string projectId;
        uint16 vintage;
        uint256 firstSerial;
        uint256 lastSerial;
        bytes32 lotId;
        string beneficiary;
    }

    /// @notice A retired range as stored: `next` is the first serial of the following range, or NO_RANGE.
    struct Range {
        uint256 lastSerial;
        uint256 next;
    }

    /// @notice `firstSerial` is greater than `lastSerial`, or the range is too large to count.
    error OffsetRegistryEmptyRange(uint256 firstSerial, uint256 lastSerial);

    /// @notice The registry, serial block or project id is empty, or the vintage is zero.
    error OffsetRegistryIncompleteRetirement();

    /// @notice The lot id is zero.
    error OffsetRegistryMissingLot();

    /// @notice The range overlaps the already retired range `existingFirst..existingLast` of the same block.
    error OffsetRegistryRangeOverlaps(
        bytes32 blockKey,
        uint256 firstSerial,
        uint256 lastSerial,
        uint256 existingFirst,
        uint256 existingLast
    );

    /// @notice `hint` is not the first serial of the retired range just before the new one.
    error OffsetRegistryInvalidHint(bytes32 blockKey, uint256 hint);

    /// @notice Credits were retired for a lot; replaying these events rebuilds the registry's state.
    /// @param retirementId Sequence number of the retirement, starting at 1.
    /// @param lotId Lot the credits were retired for.
    /// @param blockKey `keccak256(abi.encode(registry, serialBlock))`.
    /// @param retirement The retirement as submitted.
    /// @param quantityKg Quantity retired in kg CO2e (one credit is one tonne).
    /// @param retiredBy Account that sent the transaction.
    event CreditsRetired(
        uint256 indexed retirementId,
        bytes32 indexed lotId,
        bytes32 indexed blockKey,
        Retirement retirement,
        uint256 quantityKg,
        address retiredBy
    );

    /// @notice Retires a serial range for a lot.
    /// @dev Only RETIRER_ROLE. Reverts if the range is empty, incomplete, not bound to a lot, overlaps a range
    /// already retired in the same block, or if `hint` is not the predecessor (pass NO_RANGE for "none").
    /// @return retirementId Sequence number of the retirement.
    function retire(Retirement calldata retirement, uint256 hint) external returns (uint256 retirementId);

    /// @notice The key under which serials of `registry` + `serialBlock` are unique.
    function blockKeyOf(string calldata registry, string calldata serialBlock) external pure returns (bytes32);

    /// @notice First serial of the retired range after which a range starting at `firstSerial` would go,
    /// or NO_RANGE if it would go first. Walks the list: meant for off-chain calls.
    function predecessorOf(bytes32 blockKey, uint256 firstSerial) external view returns (uint256);

    /// @notice Whether `serial` of the block `blockKey` was retired. Walks the list: meant for off-chain calls.
    function isRetired(bytes32 blockKey, uint256 serial) external view returns (bool);

    /// @notice The retired range starting at `firstSerial`; `exists` is false if there is none.
    function rangeAt(bytes32 blockKey, uint256 firstSerial) external view returns (bool exists, Range memory range);

    /// @notice First serial of the lowest retired range of a block, or NO_RANGE if none.
    function firstRangeOf(bytes32 blockKey) external view returns (uint256);

    /// @notice Total kg CO2e retired for `lotId`.
    function retiredKgOf(bytes32 lotId) external view returns (uint256);

    /// @notice Number of retirements so far (also the id of the latest).
    function retirementCount() external view returns (uint256);
}
