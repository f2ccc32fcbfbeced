// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IOffsetRegistry} from "./interfaces/IOffsetRegistry.sol";

/// @title OffsetRegistry
/// @notice Retires carbon-credit serial ranges for product lots and guarantees that no serial of a block is
/// ever retired twice. See {IOffsetRegistry}.
contract OffsetRegistry is IOffsetRegistry, AccessControlDefaultAdminRules {
    /// @notice Role of the service accounts allowed to retire credits.
    bytes32 public constant RETIRER_ROLE = keccak256("RETIRER_ROLE");
    /// @notice Marks "no range": an empty list, the end of a list, or "the new range goes first" as a hint.
    uint256 public constant NO_RANGE = type(uint256).max;
    /// @notice One credit is one tonne of CO2e.
    uint256 public constant KG_PER_CREDIT = 1000;
    /// @notice Serials stay below this bound so that quantities in kg cannot overflow.
    uint256 public constant SERIAL_LIMIT = type(uint256).max / KG_PER_CREDIT;

    /// @dev `lastPlusOne == 0` marks an absent range, so a range may end at serial 0.
    struct StoredRange {
        uint256 lastPlusOne;
        uint256 next;
    }

    mapping(bytes32 blockKey => mapping(uint256 firstSerial => StoredRange range)) private _ranges;
    /// @dev First serial of the lowest range plus one; zero for an empty block.
    mapping(bytes32 blockKey => uint256 headPlusOne) private _headPlusOne;
    mapping(bytes32 lotId => uint256 retiredKg) private _retiredKg;
    uint256 private _retirementCount;

    /// @param adminDelay Seconds a hand-over of DEFAULT_ADMIN_ROLE waits before the new admin may accept it.
    /// @param admin Account that receives DEFAULT_ADMIN_ROLE (e.g. a multisig) and may grant RETIRER_ROLE.
    /// @param operator The service account: receives RETIRER_ROLE (zero: none yet).
    constructor(uint48 adminDelay, address admin, address operator) AccessControlDefaultAdminRules(adminDelay, admin) {
        if (operator != address(0)) _grantRole(RETIRER_ROLE, operator);
    }

    /// @inheritdoc IOffsetRegistry
    function retire(
        Retirement calldata retirement,
        uint256 hint
    ) external onlyRole(RETIRER_ROLE) returns (uint256 retirementId) {
        _checkComplete(retirement);
        bytes32 blockKey = blockKeyOf(retirement.registry, retirement.serialBlock);
        _insertRange(blockKey, retirement.firstSerial, retirement.lastSerial, hint);

        uint256 quantityKg = (retirement.lastSerial - retirement.firstSerial + 1) * KG_PER_CREDIT;
        _retiredKg[retirement.lotId] += quantityKg;
        retirementId = ++_retirementCount;
        emit CreditsRetired(retirementId, retirement.lotId, blockKey, retirement, quantityKg, msg.sender);
    }

    /// @inheritdoc IOffsetRegistry
    function blockKeyOf(string calldata registry, string calldata serialBlock) public pure returns (bytes32) {
        return keccak256(abi.encode(registry, serialBlock));
    }

    /// @inheritdoc IOffsetRegistry
    function predecessorOf(bytes32 blockKey, uint256 firstSerial) external view returns (uint256 predecessor) {
        predecessor = NO_RANGE;
        uint256 current = firstRangeOf(blockKey);
        while (current != NO_RANGE && current < firstSerial) {
            predecessor = current;
            current = _ranges[blockKey][current].next;
        }
    }

    /// @inheritdoc IOffsetRegistry
    function isRetired(bytes32 blockKey, uint256 serial) external view returns (bool) {
        uint256 current = firstRangeOf(blockKey);
        while (current != NO_RANGE && current <= serial) {
            StoredRange storage range = _ranges[blockKey][current];
            if (serial < range.lastPlusOne) return true;
            current = range.next;
        }
        return false;
    }

    /// @inheritdoc IOffsetRegistry
    function rangeAt(bytes32 blockKey, uint256 firstSerial) external view returns (bool exists, Range memory range) {
        StoredRange storage stored = _ranges[blockKey][firstSerial];
        exists = stored.lastPlusOne != 0;
        if (exists) range = Range({lastSerial: stored.lastPlusOne - 1, next: stored.next});
    }

    /// @inheritdoc IOffsetRegistry
    function firstRangeOf(bytes32 blockKey) public view returns (uint256) {
        uint256 headPlusOne = _headPlusOne[blockKey];
        return headPlusOne == 0 ? NO_RANGE : headPlusOne - 1;
    }

    /// @inheritdoc IOffsetRegistry
    function retiredKgOf(bytes32 lotId) external view returns (uint256) {
        return _retiredKg[lotId];
    }

    /// @inheritdoc IOffsetRegistry
    function retirementCount() external view returns (uint256) {
        return _retirementCount;
    }

    /// @inheritdoc AccessControlDefaultAdminRules
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IOffsetRegistry).interfaceId || super.supportsInterface(interfaceId);
    }

    function _checkComplete(Retirement calldata retirement) private pure {
        if (retirement.firstSerial > retirement.lastSerial || retirement.lastSerial >= SERIAL_LIMIT) {
            revert OffsetRegistryEmptyRange(retirement.firstSerial, retirement.lastSerial);
        }
        if (
            bytes(retirement.registry).length == 0 ||
            bytes(retirement.serialBlock).length == 0 ||
            bytes(retirement.projectId).length == 0 ||
            retirement.vintage == 0
        ) revert OffsetRegistryIncompleteRetirement();
        if (retirement.lotId == bytes32(0)) revert OffsetRegistryMissingLot();
    }

    /// @dev Links `first..last` between the hinted predecessor and its successor after checking that it is
    /// disjoint from both. Every overlap reported is a real one; a hint that is not the predecessor is rejected.
    function _insertRange(bytes32 blockKey, uint256 first, uint256 last, uint256 hint) private {
        mapping(uint256 firstSerial => StoredRange range) storage ranges = _ranges[blockKey];
        uint256 next;
        if (hint == NO_RANGE) {
            next = firstRangeOf(blockKey);
        } else {
            StoredRange storage previous = ranges[hint];
            if (previous.lastPlusOne == 0) revert OffsetRegistryInvalidHint(blockKey, hint);
            uint256 previousLast = previous.lastPlusOne - 1;
            if (hint <= last && previousLast >= first) {
                revert OffsetRegistryRangeOverlaps(blockKey, first, last, hint, previousLast);
            }
            if (hint > first) revert OffsetRegistryInvalidHint(blockKey, hint);
            next = previous.next;
        }
        if (next != NO_RANGE && next <= last) {
            uint256 nextLast = ranges[next].lastPlusOne - 1;
            if (nextLast >= first) revert OffsetRegistryRangeOverlaps(blockKey, first, last, next, nextLast);
            revert OffsetRegistryInvalidHint(blockKey, hint);
        }

        ranges[first] = StoredRange({lastPlusOne: last + 1, next: next});
        if (hint == NO_RANGE) {
            _headPlusOne[blockKey] = first + 1;
        } else {
            ranges[hint].next = first;
        }
    }
}
