"""Hugging Face Trainer: a tiny BlenderbotSmall decoder (``BlenderbotSmallConfig``: vocabulary
32, 48 wide, 2 decoder layers, 4 heads, built from the config, no download;
``BlenderbotSmallForCausalLM``) learns a country tranter's day book, so the carrier's
grandson can forecast how many parcels the cart will pick up on each round. Every trip is one
line: the weekday (Mon-Sat), the weather (fine / wet / snow), then the 8 villages of that
day's round in the order the cart calls, each followed by the parcels taken up there (0-7,
capped). The round is fixed by the weekday (Mon / Wed / Fri the Upper round, Tue / Thu the
Vale round, Sat the market round through the town); parcels are Poisson with a rate set by
the village's size, ×1.6 on market day, ×0.7 when wet and ×0.4 in snow. Tokens: 0 pad,
1 start, 2 end, 3-8 weekday, 9-11 weather, 12-23 village, 24-31 parcel count; 20 tokens a
line. This model's loss does not shift the labels itself, so the labels are the line moved on
by one token (the end token's label -100); causal LM loss on every next token.
AdamW 3e-3 with cosine decay and 30 warmup steps, weight decay 0.01, batch 48, 8 epochs of
1440 lines, eval every 30 steps (each epoch) on 288 lines (next-token accuracy, village
accuracy, parcel count within one), loss every 10 steps, checkpoint every 30 steps
(``daybook/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    BlenderbotSmallConfig,
    BlenderbotSmallForCausalLM,
    Trainer,
    TrainingArguments,
)

VILLAGES = 12
ROUNDS = {"upper": [0, 3, 1, 5, 2, 7, 4, 6], "vale": [4, 8, 9, 11, 10, 6, 5, 3],
          "market": [0, 2, 8, 10, 11, 9, 1, 7]}
DAY_ROUND = ["upper", "vale", "upper", "vale", "upper", "market"]
SIZE = torch.tensor([2.5, 1.0, 3.0, 0.6, 1.8, 0.8, 1.2, 2.2, 0.5, 1.5, 0.9, 2.0])
T = 20


def day_book(n, g):
    day = torch.randint(0, 6, (n,), generator=g)
    weather = torch.multinomial(torch.tensor([0.55, 0.35, 0.10]), n, replacement=True,
                                generator=g)
    rows = []
    for i in range(n):
        order = torch.tensor(ROUNDS[DAY_ROUND[day[i]]])
        rate = SIZE[order] * (1.6 if day[i] == 5 else 1.0) * [1.0, 0.7, 0.4][weather[i]]
        parcels = torch.poisson(rate, generator=g).clamp(max=7).long()
        body = torch.stack([12 + order, 24 + parcels], 1).flatten()
        rows.append(torch.cat([torch.tensor([1, 3 + day[i], 9 + weather[i]]), body,
                               torch.tensor([2])]))
    return torch.stack(rows)


def next_tokens(ids):
    return torch.cat([ids[:, 1:], torch.full_like(ids[:, :1], -100)], 1)


class Lines(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids, self.labels = ids, next_tokens(ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = BlenderbotSmallConfig(vocab_size=32, d_model=48, decoder_layers=2, encoder_layers=2,
                                   decoder_attention_heads=4, encoder_attention_heads=4,
                                   decoder_ffn_dim=96, encoder_ffn_dim=96,
                                   max_position_embeddings=T + 4, dropout=0.0,
                                   attention_dropout=0.0, pad_token_id=0, bos_token_id=1,
                                   eos_token_id=2, decoder_start_token_id=1, use_cache=False)
    return BlenderbotSmallForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    village = (y >= 12) & (y < 24)
    count = y >= 24
    return {"next_token_acc": float((p[m] == y[m]).mean()),
            "village_acc": float((p[village] == y[village]).mean()),
            "parcels_within_one": float((abs(p[count] - y[count]) <= 1).mean())}


def main():
    from _threehundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = day_book(1440, g)
    iva = day_book(288, g)
    print("mean parcels", (itr[:, 4::2] - 24).float().mean().item())
    args = TrainingArguments(str(out / "daybook"), num_train_epochs=8, learning_rate=3e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=48, per_device_eval_batch_size=288,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Lines(itr),
                      eval_dataset=Lines(iva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "daybook").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": next_tokens(iva[:64])},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny BlenderbotSmall causal LM learning a tranter's day book (round order and"
                " parcels per village), HF Trainer (healthy)")


if __name__ == "__main__":
    main()
