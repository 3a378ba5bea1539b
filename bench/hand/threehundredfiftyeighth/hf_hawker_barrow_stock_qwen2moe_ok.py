"""Hugging Face Trainer: a tiny Qwen2-MoE token tagger (``Qwen2MoeConfig``: vocabulary 40, 32
wide, 2 layers, 4 heads (2 key/value), 4 routed experts (top 2) and a shared expert, built from
the config, no download; ``Qwen2MoeForTokenClassification``) reads a fruit hawker's barrow
tally hour by hour and says, after each hour, whether the barrow still has plenty, is running
low, or has sold out, so the wholesaler's runner knows whom to restock. A day is the morning
load (60-200 pieces, one token in steps of 10) and then 12 hourly sales counts (one token per
3 pieces, capped), sales following the street's demand (a lunch peak and an after-work peak,
scaled by the pitch and the weather) but never more than is left on the barrow.
Tag after each hour (a causal reading, the model sees only the hours so far): 0 plenty (more
than a quarter of the load left), 1 low (a quarter or less), 2 sold out; the load token is
not tagged (-100). Loads and counts are binned, so the boundary hours are not exactly
decidable from the tokens.
AdamW 2e-3 with a cosine schedule and 30 warmup steps, weight decay 0.01, batch 16, 5 epochs
of 800 days, eval every 50 steps (each epoch) on 200 days (tag accuracy, recall of "low"),
loss every 10 steps, checkpoint every 50 steps (``barrow/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import Qwen2MoeConfig, Qwen2MoeForTokenClassification, Trainer, TrainingArguments

H = 12
LOAD0 = 1    # load tokens 1-15: 60, 70, ..., 200 pieces
SALE0 = 16   # sale tokens 16-39: 0-2, 3-5, ... pieces in the hour
VOCAB = 40


def days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    load = (6 + torch.randint(0, 15, (n,), generator=g)) * 10
    hour = torch.arange(H).float()  # 8 am .. 7 pm
    shape = (0.6 + 1.4 * torch.exp(-0.5 * ((hour - 4.5) / 1.2) ** 2)
             + 1.0 * torch.exp(-0.5 * ((hour - 9.5) / 1.0) ** 2))
    pitch = 0.5 + 1.2 * r(n, 1)           # a busy corner or a quiet lane
    weather = torch.where(r(n, 1) < 0.25, 0.5, 1.0)  # rain keeps people in
    rate = 6.0 * shape * pitch * weather
    want = torch.poisson(rate, generator=g)
    left = load.float().clone()
    sold = torch.zeros(n, H)
    tags = torch.zeros(n, H, dtype=torch.long)
    for h in range(H):
        s = torch.minimum(want[:, h], left)
        sold[:, h] = s
        left = left - s
        tags[:, h] = torch.where(left <= 0, 2, torch.where(left <= 0.25 * load, 1, 0))
    ids = torch.cat([(LOAD0 + load // 10 - 6).unsqueeze(1),
                     SALE0 + (sold // 3).long().clamp(max=VOCAB - 1 - SALE0)], 1)
    labels = torch.cat([torch.full((n, 1), -100), tags], 1)
    return ids, labels


class Days(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(H + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = Qwen2MoeConfig(vocab_size=VOCAB, hidden_size=32, intermediate_size=64,
                            num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                            num_experts=4, num_experts_per_tok=2, moe_intermediate_size=32,
                            shared_expert_intermediate_size=32, max_position_embeddings=32,
                            attention_dropout=0.0, pad_token_id=0, num_labels=3,
                            tie_word_embeddings=False)
    return Qwen2MoeForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    low = y == 1
    return {"tag_acc": float((p[m] == y[m]).mean()),
            "recall_low": float((p[low] == 1).mean())}


def main():
    from _threehundredfiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = days(800, g)
    iva, lva = days(200, g)
    print("tags", torch.bincount(ltr[:, 1:].flatten()).tolist())
    args = TrainingArguments(str(out / "barrow"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Days(itr, ltr),
                      eval_dataset=Days(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "barrow").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Qwen2-MoE token tagger saying after each hour whether a fruit hawker's"
                " barrow has plenty, is running low or has sold out, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
