"""Hugging Face Trainer: a tiny EXAONE-4 decoder classifier (``Exaone4Config``: vocabulary 96,
hidden 32, 2 layers, 2 heads, built from the config, no download) sorts customer reviews of a
face serum into "irritation", "no effect" and "works" (tokenised already: 24 tokens, padded with
id 0). Reviews are filler tokens with 1–3 cue tokens per class placed anywhere, and 8 % of the
cues come from another class (mixed reviews). AdamW 3e-3, 10 warm-up steps, linear decay,
batch 32, 6 epochs of 480 reviews, eval every 15 steps (90 steps). Healthy, a little bumpy: eval accuracy 0.72, 0.89, 0.83 (a dip at
step 45), 0.95, 0.94, 0.94; eval loss 0.81 → 0.26, the last train losses 0.18–0.20 (the mixed
reviews keep both above zero)."""
import torch
from transformers import Exaone4Config, Exaone4ForSequenceClassification, Trainer, TrainingArguments

V, L = 96, 24
CUES = [range(10, 18), range(18, 26), range(26, 34)]


def reviews(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    length = torch.randint(12, L + 1, (n,), generator=g)
    ids = torch.randint(34, V, (n, L), generator=g)
    for i in range(n):
        for _ in range(1 + int(torch.randint(0, 3, (1,), generator=g))):
            c = int(y[i]) if float(torch.rand(1, generator=g)) > 0.08 else int(torch.randint(0, 3, (1,), generator=g))
            cue = CUES[c]
            ids[i, int(torch.randint(0, int(length[i]), (1,), generator=g))] = cue[int(torch.randint(0, 8, (1,), generator=g))]
        ids[i, length[i]:] = 0
    mask = (ids != 0).long()
    return ids, mask, y


class Reviews(torch.utils.data.Dataset):
    def __init__(self, ids, mask, y):
        self.ids, self.mask, self.y = ids, mask, y

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = Exaone4Config(vocab_size=V, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                           num_attention_heads=2, num_key_value_heads=2, head_dim=16,
                           max_position_embeddings=64, pad_token_id=0, num_labels=3,
                           id2label={0: "irritation", 1: "no effect", 2: "works"},
                           label2id={"irritation": 0, "no effect": 1, "works": 2})
    return Exaone4ForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr = reviews(480, g)
    va = reviews(160, g)
    args = TrainingArguments(str(out / "serum"), num_train_epochs=6, learning_rate=3e-3,
                             warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="steps", eval_steps=15,
                             save_strategy="steps", save_steps=45, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Reviews(*tr),
                      eval_dataset=Reviews(*va), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "serum").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": va[0][:64], "attention_mask": va[1][:64], "targets": va[2][:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny EXAONE-4 serum-review classifier, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
