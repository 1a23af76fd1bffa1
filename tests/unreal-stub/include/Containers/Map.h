// TEST-ONLY stub of Unreal's TMap (Containers/Map.h), the members the plugin uses. Never ship this.
#pragma once
#include "CoreMinimal.h"
#include <map>

template <typename K, typename V>
struct TPair {
    K Key;
    V Value;
};

template <typename K, typename V>
class TMap {
public:
    V& Add(const K& Key, const V& Value) { return Items[Key] = Value; }
    int32 Remove(const K& Key) { return static_cast<int32>(Items.erase(Key)); }
    bool RemoveAndCopyValue(const K& Key, V& OutRemovedValue) {
        auto It = Items.find(Key);
        if (It == Items.end()) return false;
        OutRemovedValue = It->second;
        Items.erase(It);
        return true;
    }
    V* Find(const K& Key) {
        auto It = Items.find(Key);
        return It == Items.end() ? nullptr : &It->second;
    }
    int32 Num() const { return static_cast<int32>(Items.size()); }
    void Empty() { Items.clear(); }
    struct FIterator {
        typename std::map<K, V>::iterator It;
        TPair<K, V&> operator*() const { return TPair<K, V&>{It->first, It->second}; }
        FIterator& operator++() { ++It; return *this; }
        bool operator!=(const FIterator& Other) const { return It != Other.It; }
    };
    FIterator begin() { return FIterator{Items.begin()}; }
    FIterator end() { return FIterator{Items.end()}; }

private:
    std::map<K, V> Items;
};
