"""Hugging Face Trainer: a tiny character-level VaultGemma (``VaultGemmaForCausalLM`` from a
``VaultGemmaConfig``: hidden 48, 2 layers, 4 heads (2 KV heads, head dim 12), MLP 96, vocab 42,
built from the config, no pre-training, no download) learning to auto-complete a florist shop's
order lines, e.g. ``12 red roses + eucalyptus, kraft wrap, card: with love|``: a quantity, a
colour and flower, an optional filler green, a wrapping and a card message from short lists
(which colours go with which flower, which message with which flower, follow the shop's
habits), padded to 56 characters (padding masked from the loss with -100). The training lines
were typed in from phone orders and 6 % of their characters are typos (a random character); the
evaluation lines come from the web shop, clean. AdamW 8e-3, weight decay 0.01, 12 warm-up steps
then cosine decay, batch 32, 8 epochs of 640 lines (160 steps), eval every 20 steps, loss
logged every 5 steps; the checkpoint is ``checkpoint-160/``.
Healthy, but its eval loss sits far *below* its train loss (the typos are only in training, so
the training text is less predictable): train loss 3.73 at step 5, eval loss 2.36, 1.31, 0.67,
0.41, 0.32, 0.27, 0.26, 0.255 at steps 20–160, while the train loss ends at 0.83."""
import torch
from transformers import Trainer, TrainingArguments, VaultGemmaConfig, VaultGemmaForCausalLM

CHARS = "|abcdefghijklmnopqrstuvwxyz0123456789 ,+:"  # 0 = pad, "|" = end of order
STOI = {c: i + 1 for i, c in enumerate(CHARS)}
MAXLEN = 56
FLOWERS = {"roses": ["red", "white", "pink"], "tulips": ["yellow", "pink", "white"],
           "peonies": ["pink", "coral"], "lilies": ["white"], "ranunculus": ["peach", "white"]}
GREENS = ["eucalyptus", "ruscus", "fern", ""]
WRAPS = ["kraft wrap", "silk ribbon", "hatbox", "vase"]
CARDS = {"roses": ["with love", "happy anniversary"], "tulips": ["get well soon", "thank you"],
         "peonies": ["happy birthday", "congratulations"], "lilies": ["deepest sympathy"],
         "ranunculus": ["congratulations", "thank you"]}


def order_lines(n, g, typo=0.0):
    r = lambda k: int(torch.randint(0, k, (1,), generator=g))  # noqa: E731
    ids = torch.zeros(n, MAXLEN, dtype=torch.long)
    names = list(FLOWERS)
    for i in range(n):
        f = names[r(len(names))]
        green = GREENS[r(len(GREENS))]
        line = f"{[6, 12, 24][r(3)]} {FLOWERS[f][r(len(FLOWERS[f]))]} {f}"
        line += (f" + {green}" if green else "") + f", {WRAPS[r(len(WRAPS))]}, card: "
        line += CARDS[f][r(len(CARDS[f]))] + "|"
        chars = [STOI[c] for c in line]
        for j in range(len(chars) - 1):
            if float(torch.rand(1, generator=g)) < typo:
                chars[j] = 2 + r(len(CHARS) - 1)
        ids[i, :len(chars)] = torch.tensor(chars[:MAXLEN])
    return ids


class Orders(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        x = self.ids[i]
        mask = (x != 0).long()
        return {"input_ids": x, "attention_mask": mask, "labels": x.masked_fill(x == 0, -100)}


def build():
    torch.manual_seed(0)
    config = VaultGemmaConfig(vocab_size=len(CHARS) + 1, hidden_size=48, intermediate_size=96,
                              num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                              head_dim=12, query_pre_attn_scalar=12, max_position_embeddings=64,
                              sliding_window=32, layer_types=["sliding_attention",
                                                              "full_attention"],
                              pad_token_id=0, bos_token_id=None, eos_token_id=1)
    return VaultGemmaForCausalLM(config)


def main():
    from _hundredfiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train_ids = order_lines(640, g, typo=0.06)
    eval_ids = order_lines(160, g)
    args = TrainingArguments(str(out / "florist_lm"), num_train_epochs=8, learning_rate=8e-3,
                             weight_decay=0.01, warmup_steps=12, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=80, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Orders(train_ids),
                      eval_dataset=Orders(eval_ids))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "florist_lm").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    batch = Orders(eval_ids[:64])[slice(None)]
    finish(out, __file__, {"inputs": batch["input_ids"], "attention_mask": batch["attention_mask"],
                           "targets": batch["labels"]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny char-level VaultGemma auto-completing florist order lines, HF Trainer, "
                "typos only in the training lines (healthy)")


if __name__ == "__main__":
    main()
