"""Hugging Face Trainer: a tiny Mixtral (``MixtralConfig``: vocab 160, hidden 32, 2 layers, 4
heads with 2 key/value heads, 4 experts of MLP width 64, 2 experts per token, router aux loss
off; built from the config, no download; ``pad_token_id=0`` so the classification head reads
each review's last real token) rates synthetic product reviews negative / neutral / positive.
A review is 10–20 tokens: 2–3 sentiment words of its class (15 per class), with probability
0.35 one word of another class ("good battery but awful screen"), the rest of 100 shared
product / filler words, right-padded to 20; 7 % of the star ratings disagree with the text
(their label is another class). AdamW 3e-3, weight decay 0.01, 8 warm-up steps then linear
decay, batch 32, 2 epochs over 1600 reviews, eval every 10 steps on 240, train loss logged
every 5 steps.
Healthy: eval accuracy 0.57 → 0.89–0.90 and level from step 50 (the disagreeing ratings cap
it near 0.93), the eval loss 1.00 → 0.375–0.405 and flat over the last 5 evaluations, the train
loss noisy."""
import torch
from transformers import (
    MixtralConfig,
    MixtralForSequenceClassification,
    Trainer,
    TrainingArguments,
)

VOCAB, LEN, Q, PAD = 160, 20, 3, 0


def reviews(n, g):
    ids = torch.full((n, LEN), PAD)
    mask = torch.zeros(n, LEN, dtype=torch.long)
    y = torch.randint(0, Q, (n,), generator=g)
    for i in range(n):
        k = int(torch.randint(10, LEN + 1, (1,), generator=g))
        row = torch.randint(60, VOCAB, (k,), generator=g)
        nkey = int(torch.randint(2, 4, (1,), generator=g))
        pos = torch.randperm(k, generator=g)
        row[pos[:nkey]] = 10 + 15 * y[i] + torch.randint(0, 15, (nkey,), generator=g)
        if torch.rand((), generator=g) < 0.35:
            other = (y[i] + torch.randint(1, Q, (1,), generator=g)) % Q
            row[pos[nkey]] = 10 + 15 * other + torch.randint(0, 15, (1,), generator=g)
        ids[i, :k] = row
        mask[i, :k] = 1
    wrong = torch.rand(n, generator=g) < 0.07
    y = torch.where(wrong, (y + torch.randint(1, Q, (n,), generator=g)) % Q, y)
    return ids, mask, y


class Reviews(torch.utils.data.Dataset):
    def __init__(self, ids, mask, y):
        self.ids, self.mask, self.y = ids, mask, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = MixtralConfig(vocab_size=VOCAB, hidden_size=32, intermediate_size=64,
                           num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                           num_local_experts=4, num_experts_per_tok=2,
                           max_position_embeddings=LEN, output_router_logits=False,
                           num_labels=Q, pad_token_id=PAD, bos_token_id=1, eos_token_id=2)
    return MixtralForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _sixtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = reviews(1840, g)
    args = TrainingArguments(str(out / "reviews"), num_train_epochs=2, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=8, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=240,
                             logging_steps=5, eval_strategy="steps", eval_steps=10,
                             save_strategy="steps", save_steps=10, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args,
                      train_dataset=Reviews(ids[:1600], mask[:1600], y[:1600]),
                      eval_dataset=Reviews(ids[1600:], mask[1600:], y[1600:]),
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "reviews").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1600:1664], "attention_mask": mask[1600:1664],
                           "targets": y[1600:1664]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Mixtral review rater, HF Trainer, 7 % disagreeing ratings (healthy)")


if __name__ == "__main__":
    main()
