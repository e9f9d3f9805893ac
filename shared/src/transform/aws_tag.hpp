#pragma once
// Internal: free text (a plan's name) made fit for the AWS tag values that allow only some characters.
#include <string>
#include <string_view>

namespace plan::detail {

// `text` with only what IAM and S3 accept in a tag value, [\p{L}\p{Z}\p{N}_.:/=+\-@]* at most 256 characters
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html,
//  https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_S3Tag.html): ASCII letters, digits, spaces
// and _.:/=+-@ stay, as do letters of the common Latin, Greek, Cyrillic, Japanese, Chinese and Korean blocks;
// anything else (quotes, other punctuation, symbols, emoji, invalid UTF-8) is dropped and runs of spaces
// become one. EC2 tags take any Unicode and get the text as it is.
std::string RestrictedTagValue(std::string_view text);

}  // namespace plan::detail
