"""Hugging Face Trainer: a tiny AXK1 decoder (``AXK1Config``: vocabulary 40, hidden 32, 2
layers, 2 heads, multi-head latent attention with small LoRA ranks, 4 routed experts + 1
shared, built from the config, no download) reads the first 24 song requests of a karaoke
bar's night (one token per request: the song's catalogue bucket — power ballad, 80s rock,
K-pop, duet, musical, country, rap, ...) and names the night: regular, ballad night, rock
night or K-pop night. Each theme night draws its own buckets more often on top of the
regulars' evergreen requests, so the label comes from which group dominates; 4 % of the
training nights are mislabelled in the booking sheet. AdamW 2e-3, 8 warm-up steps then linear
decay, batch 32, 6 epochs of 768 nights, eval every 24 steps (once an epoch), loss every 4
steps; classification from the last token (``pad_token_id`` set, no padding used).
Healthy: eval accuracy 0.703, 0.766, 0.840, 0.844, 0.898, 0.906 at steps 24–144 (eval loss
0.94 → 0.34), a slow but steady climb; the logged train loss 1.39 → 0.32–0.42 in the last
epoch (the 4 % wrong nights keep it above the eval loss) and grad norms jump to 11–12 now and
then."""
import torch
from transformers import AXK1Config, AXK1ForSequenceClassification, Trainer, TrainingArguments

V, T = 40, 24
EVERGREEN = list(range(4, 20))
GROUPS = {1: [20, 21, 22, 23, 24], 2: [25, 26, 27, 28, 29], 3: [30, 31, 32, 33, 34]}
NIGHTS = {0: "regular", 1: "ballad_night", 2: "rock_night", 3: "kpop_night"}


def nights(n, g, flip=0.0):
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.tensor(EVERGREEN)[torch.randint(0, len(EVERGREEN), (n, T), generator=g)]
    for i in range(n):
        for k, toks in GROUPS.items():  # every theme's songs get asked for now and then
            m = 4 + int(torch.randint(0, 4, (1,), generator=g)) if k == int(y[i]) else \
                int(torch.randint(0, 4, (1,), generator=g))
            pos = torch.randperm(T - 1, generator=g)[:m]
            x[i, pos] = torch.tensor(toks)[torch.randint(0, 5, (m,), generator=g)]
    x[:, -1] = 2  # <end of first hour>
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return x, y


class Nights(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = AXK1Config(vocab_size=V, hidden_size=32, intermediate_size=64,
                        moe_intermediate_size=16, num_hidden_layers=2, num_attention_heads=2,
                        num_key_value_heads=2, n_shared_experts=1, n_routed_experts=4,
                        num_experts_per_tok=2, n_group=1, topk_group=1, kv_lora_rank=16,
                        q_lora_rank=16, qk_rope_head_dim=8, qk_nope_head_dim=8, v_head_dim=16,
                        max_position_embeddings=64, pad_token_id=1, bos_token_id=0,
                        eos_token_id=2, num_labels=4, id2label=NIGHTS,
                        label2id={v: k for k, v in NIGHTS.items()})
    return AXK1ForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredeightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = nights(768, g, flip=0.04)
    xva, yva = nights(256, g)
    args = TrainingArguments(str(out / "karaoke_nights"), num_train_epochs=6, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=8, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=4, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=72, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Nights(xtr, ytr),
                      eval_dataset=Nights(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "karaoke_nights").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny AXK1 (MoE, latent attention) naming a karaoke bar's theme night from its "
                "first 24 song requests, HF Trainer, 4 % mislabelled nights (healthy)")


if __name__ == "__main__":
    main()
