"""Hugging Face Trainer: a tiny LayoutLMv3 text encoder (``LayoutLMv3Config``: vocabulary 16,
hidden 48, 2 layers, 4 heads, text only, no visual embedding, built from the config, no download)
helps a casino's table-games surveillance: from the last 16 cards dealt out of a blackjack shoe
(one token per rank, 2 … A) it tells whether the shoe has turned "hot" for a card counter (Hi-Lo
running count ≥ +3), is neutral (count −1 … +1) or "cold" (≤ −3); shoes with a count of ±2
are left out of the data, as surveillance does not act on them. Ranks are drawn as from a real
shoe (ten-value cards 4/13). AdamW 2e-3, weight decay 0.01, 20 warm-up steps then linear
decay, batch 32, 8 epochs of 1280 shoes, eval every 40 steps (once an epoch), loss every 10.
Healthy: eval accuracy 0.81, 0.99, 1.00, 1.00, 1.00, 0.99, 1.00, 1.00 at steps 40–320 (one eval
per epoch), eval loss 0.80 → 0.0046; the logged train loss sits at 1.09–1.10 for the first 30
steps (warm-up) before it falls to 0.006."""
import torch
from transformers import (
    LayoutLMv3Config,
    LayoutLMv3ForSequenceClassification,
    Trainer,
    TrainingArguments,
)

V, T = 16, 16
HILO = torch.tensor([0, 0, 0] + [1] * 5 + [0] * 3 + [-1] * 5)  # ids 3..7 = 2..6, 8..10 = 7..9


def shoes(n, g):
    keep_x, keep_y = [], []
    probs = torch.tensor([1.0] * 8 + [4.0] + [1.0]) / 13  # 2..9, ten-value, ace
    while sum(len(k) for k in keep_y) < n:
        r = torch.multinomial(probs, 4 * n * T, replacement=True, generator=g).view(4 * n, T)
        ids = torch.where(r < 8, r + 3, torch.where(r == 8, 11 + torch.randint(
            0, 4, r.shape, generator=g), torch.full_like(r, 15)))  # 10, J, Q, K; ace
        count = HILO[ids].sum(1)
        ok = count.abs() != 2
        y = torch.where(count >= 3, 2, torch.where(count <= -3, 0, 1))
        keep_x.append(ids[ok])
        keep_y.append(y[ok])
    x, y = torch.cat(keep_x)[:n], torch.cat(keep_y)[:n]
    return torch.cat([torch.ones(n, 1, dtype=torch.long), x], 1), y  # 1 = <s>


class Shoes(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = LayoutLMv3Config(vocab_size=V, hidden_size=48, num_hidden_layers=2,
                              num_attention_heads=4, intermediate_size=96,
                              max_position_embeddings=40, max_2d_position_embeddings=16,
                              coordinate_size=8, shape_size=8, visual_embed=False,
                              has_spatial_attention_bias=False, pad_token_id=0,
                              bos_token_id=1, eos_token_id=2, num_labels=3,
                              id2label={0: "cold", 1: "neutral", 2: "hot"},
                              label2id={"cold": 0, "neutral": 1, "hot": 2})
    return LayoutLMv3ForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = shoes(1280, g)
    xva, yva = shoes(256, g)
    print("class counts", torch.bincount(ytr).tolist())
    args = TrainingArguments(str(out / "shoe"), num_train_epochs=8, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=10, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=160, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Shoes(xtr, ytr),
                      eval_dataset=Shoes(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "shoe").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny LayoutLMv3 text encoder, blackjack shoe Hi-Lo count hot/neutral/cold, HF"
                " Trainer (healthy)")


if __name__ == "__main__":
    main()
