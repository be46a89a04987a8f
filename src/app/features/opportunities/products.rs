//! AWS's products, for linking to opportunities (RelatedEntityType AwsProducts): the 522 product
//! identifiers with their names and families from `assets/aws-products.json` (AWS's sample
//! data, MIT licensed), read once.

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Product {
    pub identifier: String,
    pub name: String,
    pub family: String,
}

const PRODUCTS_JSON: &str = include_str!("../../../../assets/aws-products.json");

/// Every product, in the file's order (by identifier).
pub fn all() -> &'static [Product] {
    static PRODUCTS: OnceLock<Vec<Product>> = OnceLock::new();
    PRODUCTS.get_or_init(|| {
        // The file ships inside the binary and is checked by a test; an unreadable one would
        // leave the picker empty rather than stop the app.
        serde_json::from_str(PRODUCTS_JSON).unwrap_or_default()
    })
}

/// A product's name for its identifier; the identifier itself for one the list lacks (AWS adds
/// products; a record may name one newer than the list).
pub fn name_of(identifier: &str) -> String {
    all()
        .iter()
        .find(|p| p.identifier == identifier)
        .map_or_else(|| identifier.to_string(), |p| p.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_has_every_product_once_with_a_name_and_a_family() {
        let products = all();
        assert_eq!(products.len(), 522);
        let mut ids: Vec<&str> = products.iter().map(|p| p.identifier.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 522, "identifiers are unique");
        assert!(
            products
                .iter()
                .all(|p| !p.name.is_empty() && !p.family.is_empty())
        );
        assert_eq!(name_of("AWSAIFactories"), "AWS AI Factories");
        assert_eq!(name_of("NotAProduct"), "NotAProduct");
    }
}
